//! Per-client GCRA rate limits, one quota per route class. In a fleet the GCRA runs in Redis,
//! so N replicas together allow the configured rate; while Redis is unreachable the configured
//! fallback decides (each replica's own limiter, by default). Alone, governor runs it in memory.

use crate::config::{RateLimitFallback, RateLimits};
use crate::store::{Admission, Fleet};
use governor::middleware::StateInformationMiddleware;
use governor::{Quota, RateLimiter, clock::DefaultClock, state::keyed::DashMapStateStore};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use std::time::Instant;

type Keyed =
    RateLimiter<IpAddr, DashMapStateStore<IpAddr>, DefaultClock, StateInformationMiddleware>;

/// The route classes with their own quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteClass {
    Generate,
    Logo,
    Download,
    Cleanup,
    Other,
}

impl RouteClass {
    fn key(self) -> &'static str {
        match self {
            RouteClass::Generate => "generate",
            RouteClass::Logo => "logo",
            RouteClass::Download => "download",
            RouteClass::Cleanup => "cleanup",
            RouteClass::Other => "other",
        }
    }

    pub fn of(route: &str) -> RouteClass {
        match route {
            // A favicon package draws a dozen rasters: it spends the quota of rendering.
            "/generate" | "/favicon/{style}/{file}" => RouteClass::Generate,
            "/download/{filename}" => RouteClass::Download,
            "/cleanup" => RouteClass::Cleanup,
            r if r.starts_with("/logo/") => RouteClass::Logo,
            _ => RouteClass::Other,
        }
    }
}

struct Limit {
    per_minute: u32,
    limiter: Keyed,
}

pub struct Limiters {
    generate: Option<Limit>,
    logo: Option<Limit>,
    download: Option<Limit>,
    cleanup: Option<Limit>,
    other: Option<Limit>,
    shared: Option<Shared>,
}

/// The fleet-wide limiter and what to do without it.
struct Shared {
    fleet: Arc<dyn Fleet>,
    fallback: RateLimitFallback,
    /// Decisions taken without the fleet (counted in a metric).
    local_decisions: prometheus::IntCounter,
    /// After a failure Redis is not asked again for a moment: requests must not each wait
    /// for a timeout during an outage. Milliseconds since `epoch`.
    retry_at_ms: AtomicU64,
    epoch: Instant,
}

/// How long a rate check may wait for Redis before the fallback decides.
const SHARED_TIMEOUT: Duration = Duration::from_millis(250);
/// How long Redis is left alone after a failed check.
const SHARED_BACKOFF: Duration = Duration::from_secs(1);

/// What the limiter says about one request.
pub enum Verdict {
    Unlimited,
    Admitted(Admitted),
    Refused(Refused),
    /// The shared limiter is unreachable and the fallback is `closed`.
    Unavailable,
}

/// A refusal: how long until the client may retry, and the quota it hit.
pub struct Refused {
    pub retry_after: Duration,
    pub per_minute: u32,
}

/// An admission, with what is left of the burst.
pub struct Admitted {
    pub per_minute: u32,
    pub remaining: u32,
}

fn limit(per_minute: Option<u32>) -> Option<Limit> {
    let per_minute = NonZeroU32::new(per_minute?)?;
    Some(Limit {
        per_minute: per_minute.get(),
        limiter: RateLimiter::keyed(Quota::per_minute(per_minute))
            .with_middleware::<StateInformationMiddleware>(),
    })
}

impl Limiters {
    pub fn new(limits: &RateLimits) -> Limiters {
        Limiters {
            generate: limit(limits.generate),
            logo: limit(limits.logo),
            download: limit(limits.download),
            cleanup: limit(limits.cleanup),
            other: limit(limits.default),
            shared: None,
        }
    }

    /// Limits across the fleet; `local_decisions` counts the checks the fallback took.
    pub fn shared(
        mut self,
        fleet: Arc<dyn Fleet>,
        fallback: RateLimitFallback,
        local_decisions: prometheus::IntCounter,
    ) -> Limiters {
        self.shared = Some(Shared {
            fleet,
            fallback,
            local_decisions,
            retry_at_ms: AtomicU64::new(0),
            epoch: Instant::now(),
        });
        self
    }

    pub async fn check(&self, class: RouteClass, client: IpAddr) -> Verdict {
        let Some(limit) = self.limit(class) else {
            return Verdict::Unlimited;
        };
        let Some(shared) = &self.shared else {
            return self.check_locally(limit, client);
        };
        let now_ms = shared.epoch.elapsed().as_millis() as u64;
        if now_ms >= shared.retry_at_ms.load(Ordering::Relaxed) {
            let key = format!("{}:{client}", class.key());
            let asked =
                tokio::time::timeout(SHARED_TIMEOUT, shared.fleet.admit(&key, limit.per_minute))
                    .await;
            match asked {
                Ok(Ok(Admission::Admitted { remaining })) => {
                    return Verdict::Admitted(Admitted {
                        per_minute: limit.per_minute,
                        remaining,
                    });
                }
                Ok(Ok(Admission::Refused { retry_after })) => {
                    return Verdict::Refused(Refused {
                        retry_after,
                        per_minute: limit.per_minute,
                    });
                }
                Ok(Err(e)) => tracing::debug!(error = %e, "shared rate limit unavailable"),
                Err(_) => tracing::debug!("shared rate limit timed out"),
            }
            let backoff = SHARED_BACKOFF.as_millis() as u64;
            shared
                .retry_at_ms
                .store(now_ms + backoff, Ordering::Relaxed);
        }
        shared.local_decisions.inc();
        match shared.fallback {
            RateLimitFallback::Local => self.check_locally(limit, client),
            RateLimitFallback::Open => Verdict::Unlimited,
            RateLimitFallback::Closed => Verdict::Unavailable,
        }
    }

    fn limit(&self, class: RouteClass) -> Option<&Limit> {
        let limit = match class {
            RouteClass::Generate => &self.generate,
            RouteClass::Logo => &self.logo,
            RouteClass::Download => &self.download,
            RouteClass::Cleanup => &self.cleanup,
            RouteClass::Other => &self.other,
        };
        limit.as_ref()
    }

    fn check_locally(&self, limit: &Limit, client: IpAddr) -> Verdict {
        match limit.limiter.check_key(&client) {
            Ok(snapshot) => Verdict::Admitted(Admitted {
                per_minute: limit.per_minute,
                remaining: snapshot.remaining_burst_capacity(),
            }),
            Err(not_until) => Verdict::Refused(Refused {
                retry_after: not_until
                    .wait_time_from(governor::clock::Clock::now(&DefaultClock::default())),
                per_minute: limit.per_minute,
            }),
        }
    }

    /// Forgets clients that have not been seen for a while (bounded memory).
    pub fn shrink(&self) {
        for limit in [
            &self.generate,
            &self.logo,
            &self.download,
            &self.cleanup,
            &self.other,
        ]
        .into_iter()
        .flatten()
        {
            limit.limiter.retain_recent();
            limit.limiter.shrink_to_fit();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_101st_generate_in_a_minute_is_refused_with_a_wait() {
        let limiters = Limiters::new(&RateLimits {
            generate: Some(100),
            logo: None,
            download: None,
            cleanup: None,
            default: None,
        });
        let client: IpAddr = "192.0.2.1".parse().unwrap();
        for _ in 0..100 {
            assert!(matches!(
                limiters.check(RouteClass::Generate, client).await,
                Verdict::Admitted(_)
            ));
        }
        let Verdict::Refused(refused) = limiters.check(RouteClass::Generate, client).await else {
            panic!("the 101st is refused");
        };
        assert!(
            refused.retry_after > Duration::ZERO && refused.retry_after <= Duration::from_secs(1)
        );
        let other: IpAddr = "192.0.2.2".parse().unwrap();
        assert!(
            matches!(
                limiters.check(RouteClass::Generate, other).await,
                Verdict::Admitted(_)
            ),
            "limits are per client"
        );
        assert!(matches!(
            limiters.check(RouteClass::Logo, client).await,
            Verdict::Unlimited
        ));
    }
}
