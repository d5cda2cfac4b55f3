//! Telemetry beside the engine: Prometheus metrics and the event bus. It observes the engine
//! ([`Observer`]) and is fed by the front ends (requests, connections).

pub mod events;
pub mod metrics;

pub use events::{Event, EventBus, Published};
pub use metrics::Metrics;

use crate::engine::{CleanupReport, Generated, Observer};

#[derive(Default)]
pub struct Telemetry {
    pub metrics: Metrics,
    pub events: EventBus,
}

impl Telemetry {
    /// `replica`: this daemon's name when it is part of a fleet.
    pub fn new(replica: Option<&str>) -> Telemetry {
        Telemetry {
            metrics: Metrics::new(),
            events: EventBus::new(replica),
        }
    }
}

impl Observer for Telemetry {
    fn generated(&self, g: &Generated<'_>) {
        let (style, variant) = (g.spec.style().key(), g.spec.variant().key());
        self.metrics
            .generation(variant, style, g.format.extension(), g.render_seconds);
        self.events.publish_with(|| Event::Generated {
            style,
            variant,
            size: g.spec.size(),
            format: g.format,
            cached: g.render_seconds.is_none(),
            file: g.file.map(str::to_owned),
        });
    }

    fn cleaned(&self, report: &CleanupReport) {
        self.events.publish(Event::Cleaned {
            removed: report.removed.len() as u64,
            freed_bytes: report.freed_bytes,
        });
    }

    fn stats_changed(&self, total_generated: u64, cache_hits: u64, store_degraded: bool) {
        self.events.publish(Event::Stats {
            total_generated,
            cache_hits,
            store_degraded,
        });
    }
}
