use luna_ipc::{SubscribeArgs, SubscribeResult, Topic};
use std::collections::BTreeSet;

/// The topics a `subscribe` asks for (all when it names none), and its reply.
pub fn topics(args: &SubscribeArgs) -> (BTreeSet<Topic>, SubscribeResult) {
    let topics: BTreeSet<Topic> = match &args.topics {
        Some(list) => list.iter().copied().collect(),
        None => Topic::ALL.into_iter().collect(),
    };
    let reply = SubscribeResult {
        subscribed: topics.iter().copied().collect(),
    };
    (topics, reply)
}

pub fn unsubscribed() -> SubscribeResult {
    SubscribeResult { subscribed: vec![] }
}
