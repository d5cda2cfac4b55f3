use luna_ipc::{SubscribeArgs, Topic};
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// The topics a `subscribe` asks for, and its reply.
pub fn topics(args: &SubscribeArgs) -> (BTreeSet<Topic>, Value) {
    let topics: BTreeSet<Topic> = match &args.topics {
        Some(list) => list.iter().copied().collect(),
        None => Topic::ALL.into_iter().collect(),
    };
    let reply = json!({ "subscribed": topics.iter().map(|t| t.as_str()).collect::<Vec<_>>() });
    (topics, reply)
}

pub fn unsubscribed() -> Value {
    json!({ "subscribed": [] })
}
