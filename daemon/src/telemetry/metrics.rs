//! Prometheus metrics: the original's `arkalia_luna_*` families (names, and the generation
//! histogram's buckets, kept so its dashboard works) with valid, labelled exposition, plus
//! per-route request metrics, cache, rate-limit, IPC, store, build and process metrics.

use prometheus::{
    Encoder, Gauge, GaugeVec, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge,
    Opts, Registry, TextEncoder,
};
use std::sync::Mutex;
use std::time::Instant;

/// The original's generation-duration buckets, unchanged.
pub const GENERATION_BUCKETS: [f64; 8] = [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0];
/// Request latency buckets: from cached hits (sub-millisecond) to large rasters.
const REQUEST_BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

pub struct Metrics {
    registry: Registry,
    started: Instant,
    uptime: Gauge,
    pub requests: IntCounterVec,
    pub responses: IntCounterVec,
    pub request_duration: HistogramVec,
    pub generations: IntCounterVec,
    pub errors: IntCounter,
    last_generation: Gauge,
    avg_generation: Gauge,
    generation_duration: HistogramVec,
    /// (count, total seconds) of rendered generations, for the average gauge.
    generation_totals: Mutex<(u64, f64)>,
    pub health: IntGauge,
    pub cache_hits: IntCounter,
    pub rate_limited: IntCounterVec,
    pub ipc_connections: IntGauge,
    pub store_size: IntGauge,
    /// 1 while the shared store (Redis) is unreachable and counts wait in memory.
    pub store_degraded: IntGauge,
    /// Generations counted in memory, not yet written to the store.
    pub store_buffered: IntGauge,
    /// Generations whose counts were dropped because the buffer was full.
    pub store_buffer_dropped: IntCounter,
    /// Rate-limit decisions the local limiter took because the shared one was unreachable.
    pub rate_limit_local: IntCounter,
}

fn counter_vec(registry: &Registry, name: &str, help: &str, labels: &[&str]) -> IntCounterVec {
    let c = IntCounterVec::new(Opts::new(name, help), labels).expect("valid metric");
    registry
        .register(Box::new(c.clone()))
        .expect("unique metric");
    c
}

fn histogram_vec(
    registry: &Registry,
    name: &str,
    help: &str,
    labels: &[&str],
    buckets: &[f64],
) -> HistogramVec {
    let h = HistogramVec::new(
        HistogramOpts::new(name, help).buckets(buckets.to_vec()),
        labels,
    )
    .expect("valid metric");
    registry
        .register(Box::new(h.clone()))
        .expect("unique metric");
    h
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let registry = Registry::new();
        let gauge = |name: &str, help: &str| {
            let g = Gauge::new(name, help).expect("valid metric");
            registry
                .register(Box::new(g.clone()))
                .expect("unique metric");
            g
        };
        let int_gauge = |name: &str, help: &str| {
            let g = IntGauge::new(name, help).expect("valid metric");
            registry
                .register(Box::new(g.clone()))
                .expect("unique metric");
            g
        };
        let counter = |name: &str, help: &str| {
            let c = IntCounter::new(name, help).expect("valid metric");
            registry
                .register(Box::new(c.clone()))
                .expect("unique metric");
            c
        };
        let build = GaugeVec::new(
            Opts::new("arkalia_luna_build_info", "Build information (always 1)"),
            &["version", "algorithm"],
        )
        .expect("valid metric");
        build
            .with_label_values(&[crate::VERSION, &crate::art::ALGORITHM_VERSION.to_string()])
            .set(1.0);
        registry.register(Box::new(build)).expect("unique metric");
        registry
            .register(Box::new(
                prometheus::process_collector::ProcessCollector::for_self(),
            ))
            .expect("unique metric");

        let metrics = Metrics {
            uptime: gauge("arkalia_luna_uptime_seconds", "Total uptime in seconds"),
            requests: counter_vec(
                &registry,
                "arkalia_luna_requests_total",
                "Total number of requests",
                &["route", "method", "status_code"],
            ),
            responses: counter_vec(
                &registry,
                "arkalia_luna_responses_total",
                "Total responses by status and route",
                &["route", "status_code"],
            ),
            request_duration: histogram_vec(
                &registry,
                "arkalia_luna_request_duration_seconds",
                "HTTP request latency by route template and method",
                &["route", "method"],
                &REQUEST_BUCKETS,
            ),
            generations: counter_vec(
                &registry,
                "arkalia_luna_logo_generations_total",
                "Total number of logo generations",
                &["variant", "generator", "format"],
            ),
            errors: counter("arkalia_luna_errors_total", "Total number of errors"),
            last_generation: gauge(
                "arkalia_luna_last_generation_duration_seconds",
                "Duration of last logo generation",
            ),
            avg_generation: gauge(
                "arkalia_luna_avg_generation_duration_seconds",
                "Average logo generation duration",
            ),
            generation_duration: histogram_vec(
                &registry,
                "arkalia_luna_generation_duration_seconds",
                "Logo generation duration histogram",
                &["generator", "format"],
                &GENERATION_BUCKETS,
            ),
            generation_totals: Mutex::new((0, 0.0)),
            health: int_gauge(
                "arkalia_luna_health_status",
                "Health status (1=healthy, 0=unhealthy)",
            ),
            cache_hits: counter(
                "arkalia_luna_cache_hits_total",
                "Generations served from the render cache",
            ),
            rate_limited: counter_vec(
                &registry,
                "arkalia_luna_rate_limited_total",
                "Requests refused by the rate limiter",
                &["route"],
            ),
            ipc_connections: int_gauge("arkalia_luna_ipc_connections", "Open IPC connections"),
            store_size: int_gauge(
                "arkalia_luna_store_size_bytes",
                "Bytes the store database occupies on disk",
            ),
            store_degraded: int_gauge(
                "arkalia_luna_store_degraded",
                "1 while the shared store is unreachable and counts are buffered in memory",
            ),
            store_buffered: int_gauge(
                "arkalia_luna_store_buffered_generations",
                "Generations counted in memory and not yet written to the store",
            ),
            store_buffer_dropped: counter(
                "arkalia_luna_store_buffer_dropped_total",
                "Generations whose counts were dropped because the store buffer was full",
            ),
            rate_limit_local: counter(
                "arkalia_luna_rate_limit_local_total",
                "Rate-limit decisions taken locally because the shared limiter was unreachable",
            ),
            started: Instant::now(),
            registry,
        };
        metrics.health.set(1);
        metrics.every_generation_series_at_zero();
        metrics
    }

    /// Creates every (variant, style, format) generation series at zero (5 × 8 × 4), so that
    /// dashboards and `rate()`/`increase()` see the first generations from their start instead
    /// of a series appearing mid-window.
    fn every_generation_series_at_zero(&self) {
        use crate::art::{Style, Variant};
        use crate::engine::Format;
        for style in Style::ALL.map(Style::key) {
            for format in Format::ALL.map(Format::extension) {
                self.generation_duration.with_label_values(&[style, format]);
                for variant in Variant::ALL.map(Variant::key) {
                    self.generations
                        .with_label_values(&[variant, style, format]);
                }
            }
        }
    }

    /// Counts one generation; `render_seconds` is `None` for cache hits.
    pub fn generation(
        &self,
        variant: &str,
        generator: &str,
        format: &str,
        render_seconds: Option<f64>,
    ) {
        self.generations
            .with_label_values(&[variant, generator, format])
            .inc();
        match render_seconds {
            None => self.cache_hits.inc(),
            Some(seconds) => {
                self.generation_duration
                    .with_label_values(&[generator, format])
                    .observe(seconds);
                self.last_generation.set(seconds);
                let mut totals = self.generation_totals.lock().expect("generation totals");
                totals.0 += 1;
                totals.1 += seconds;
                self.avg_generation.set(totals.1 / totals.0 as f64);
            }
        }
    }

    /// Sets the store gauges (and the dropped counter, to `dropped`) before a scrape.
    pub fn observe_store(&self, degraded: bool, buffered: u64, dropped: u64) {
        self.store_degraded.set(i64::from(degraded));
        self.store_buffered
            .set(i64::try_from(buffered).unwrap_or(i64::MAX));
        let counted = self.store_buffer_dropped.get();
        if dropped > counted {
            self.store_buffer_dropped.inc_by(dropped - counted);
        }
    }

    /// The exposition text.
    pub fn render(&self, store_bytes: Option<u64>) -> Result<String, prometheus::Error> {
        self.uptime.set(self.started.elapsed().as_secs_f64());
        if let Some(bytes) = store_bytes {
            self.store_size
                .set(i64::try_from(bytes).unwrap_or(i64::MAX));
        }
        let mut out = Vec::with_capacity(16 * 1024);
        TextEncoder::new().encode(&self.registry.gather(), &mut out)?;
        Ok(String::from_utf8(out).expect("exposition is UTF-8"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exposition_quotes_labels_and_keeps_the_original_buckets() {
        let m = Metrics::new();
        m.generation("serenity", "simple", "svg", Some(0.0138));
        m.generation("serenity", "simple", "svg", None);
        let text = m.render(Some(4096)).unwrap();
        assert!(text.contains(
            "arkalia_luna_logo_generations_total{format=\"svg\",generator=\"simple\",variant=\"serenity\"} 2"
        ));
        for le in [
            "0.005", "0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1", "+Inf",
        ] {
            assert!(
                text.contains(&format!("arkalia_luna_generation_duration_seconds_bucket{{format=\"svg\",generator=\"simple\",le=\"{le}\"}}")),
                "bucket {le}"
            );
        }
        assert!(text.contains("# TYPE arkalia_luna_uptime_seconds gauge"));
        assert!(text.contains("arkalia_luna_cache_hits_total 1"));
        assert!(text.contains("arkalia_luna_store_size_bytes 4096"));
        assert!(text.contains("arkalia_luna_health_status 1"));
    }

    #[test]
    fn every_generation_family_exists_at_zero_from_the_start() {
        let text = Metrics::new().render(None).unwrap();
        assert!(text.contains(
            "arkalia_luna_logo_generations_total{format=\"png\",generator=\"ultimate\",variant=\"mystery\"} 0"
        ));
        assert!(text.contains(
            "arkalia_luna_generation_duration_seconds_count{format=\"ico\",generator=\"ai_moon\"} 0"
        ));
        assert!(text.contains(
            "arkalia_luna_logo_generations_total{format=\"webp\",generator=\"simple\",variant=\"serenity\"} 0"
        ));
        let series = text
            .lines()
            .filter(|l| l.starts_with("arkalia_luna_logo_generations_total{"))
            .count();
        assert_eq!(series, 5 * 8 * 4);
    }
}
