//! `luna events`: print the daemon's events as they arrive, until Ctrl-C or the daemon leaves.

use super::Ctx;
use crate::exit::{Failure, UNAVAILABLE};
use crate::output::human_bytes;
use clap::{Args, ValueEnum};
use luna_ipc::{
    ByeEvent, CleanedEvent, Event, GeneratedEvent, LaggedEvent, StatsEvent, StoreState,
    SubscribeArgs, Topic,
};
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TopicArg {
    Generated,
    Cleaned,
    Stats,
    Shutdown,
}

impl From<TopicArg> for luna_ipc::Topic {
    fn from(value: TopicArg) -> Self {
        match value {
            TopicArg::Generated => luna_ipc::Topic::Generated,
            TopicArg::Cleaned => luna_ipc::Topic::Cleaned,
            TopicArg::Stats => luna_ipc::Topic::Stats,
            TopicArg::Shutdown => luna_ipc::Topic::Shutdown,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct EventsCmd {
    /// Only these topics (repeatable) [default: all]
    #[arg(long = "topic", value_enum, value_name = "TOPIC")]
    pub topics: Vec<TopicArg>,
}

pub async fn run(ctx: &Ctx, cmd: EventsCmd) -> anyhow::Result<()> {
    let client = ctx.client().await?;
    let mut topics: Vec<Topic> = cmd.topics.iter().map(|&t| t.into()).collect();
    topics.sort();
    topics.dedup();
    let args = SubscribeArgs {
        topics: (!topics.is_empty()).then_some(topics),
    };
    client.subscribe(args).await?;
    ctx.out.note("waiting for events (Ctrl-C to stop)");
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    let mut shutdown_seen = false;
    loop {
        let event = tokio::select! {
            _ = &mut ctrl_c => return Ok(()),
            event = client.next_event() => event,
        };
        let Some(event) = event else { break };
        shutdown_seen |= ends_in_shutdown(&event);
        if ctx.out.json {
            ctx.out.json_line(&event)?;
        } else if event.event != "heartbeat" {
            ctx.out.line(format_event(&event))?;
        }
    }
    if shutdown_seen {
        Ok(())
    } else {
        Err(Failure::new("closed", UNAVAILABLE, "lunad closed the connection").into())
    }
}

/// A `shutdown` event, or the `bye` the daemon sends when it closes for a shutdown.
fn ends_in_shutdown(event: &Event) -> bool {
    event.event == "shutdown"
        || (event.event == "bye"
            && typed::<ByeEvent>(&event.data).is_some_and(|bye| bye.reason == "shutdown"))
}

/// `12  generated  simple/serenity 200 svg cached`
pub fn format_event(event: &Event) -> String {
    let summary = summarise(&event.event, &event.data);
    if summary.is_empty() {
        format!("{}  {}", event.seq, event.event)
    } else {
        format!("{}  {}  {summary}", event.seq, event.event)
    }
}

fn summarise(kind: &str, data: &Value) -> String {
    let summary = match kind {
        "generated" => typed(data).map(|e: GeneratedEvent| {
            let cached = if e.cached { " cached" } else { "" };
            let format = e.format.extension();
            let on = on_replica(e.replica.as_deref());
            format!("{}/{} {} {format}{cached}{on}", e.style, e.variant, e.size)
        }),
        "cleaned" => typed(data).map(|e: CleanedEvent| {
            let freed = human_bytes(e.freed_bytes);
            let on = on_replica(e.replica.as_deref());
            format!("removed {}, freed {freed}{on}", e.removed)
        }),
        "stats" => typed(data).map(|e: StatsEvent| match e.store {
            StoreState::Ok => format!("total {}", e.total_generated),
            StoreState::Degraded => format!("total {} (store degraded)", e.total_generated),
        }),
        "lagged" => typed(data).map(|e: LaggedEvent| {
            format!("{} events dropped: query stats or files again", e.dropped)
        }),
        "bye" => typed(data).map(|e: ByeEvent| e.reason),
        _ => None,
    };
    summary.unwrap_or_else(|| match data {
        Value::Null => String::new(),
        Value::Object(map) if map.is_empty() => String::new(),
        other => other.to_string(),
    })
}

/// ` on NAME` for events of a fleet, which name the replica they happened on.
fn on_replica(replica: Option<&str>) -> String {
    replica.map(|r| format!(" on {r}")).unwrap_or_default()
}

/// An event's `data` as its type, `None` when it does not fit (then it is shown raw).
fn typed<T: serde::de::DeserializeOwned>(data: &Value) -> Option<T> {
    T::deserialize(data).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(kind: &str, seq: u64, data: Value) -> Event {
        Event {
            event: kind.into(),
            seq,
            data,
        }
    }

    #[test]
    fn events_are_one_line_each() {
        let data = json!({"style": "simple", "variant": "serenity", "size": 200,
                          "format": "svg", "cached": true});
        assert_eq!(
            format_event(&event("generated", 12, data)),
            "12  generated  simple/serenity 200 svg cached"
        );
        let data = json!({"removed": 2, "freed_bytes": 2048});
        assert_eq!(
            format_event(&event("cleaned", 13, data)),
            "13  cleaned  removed 2, freed 2.0 KB"
        );
        assert_eq!(
            format_event(&event("shutdown", 14, json!({}))),
            "14  shutdown"
        );
        let bye = event("bye", 14, json!({"reason": "shutdown"}));
        assert!(ends_in_shutdown(&bye) && !ends_in_shutdown(&event("stats", 1, Value::Null)));
        assert_eq!(format_event(&bye), "14  bye  shutdown");
        assert_eq!(
            format_event(&event("lagged", 90, json!({"dropped": 37}))),
            "90  lagged  37 events dropped: query stats or files again"
        );
        assert_eq!(
            format_event(&event("stats", 15, json!({"x": 1}))),
            "15  stats  {\"x\":1}"
        );
        let data = json!({"style": "simple", "variant": "serenity", "size": 64,
                          "format": "png", "cached": false, "replica": "web-2"});
        assert_eq!(
            format_event(&event("generated", 13, data)),
            "13  generated  simple/serenity 64 png on web-2"
        );
        let data = json!({"total_generated": 7, "cache_hits": 1, "store": "degraded"});
        assert_eq!(
            format_event(&event("stats", 14, data)),
            "14  stats  total 7 (store degraded)"
        );
    }
}
