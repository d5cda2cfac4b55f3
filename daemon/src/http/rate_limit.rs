//! Per-client GCRA rate limits (governor), one quota per route class.

use crate::config::RateLimits;
use governor::middleware::StateInformationMiddleware;
use governor::{Quota, RateLimiter, clock::DefaultClock, state::keyed::DashMapStateStore};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

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
    pub fn of(route: &str) -> RouteClass {
        match route {
            "/generate" => RouteClass::Generate,
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
        }
    }

    /// `Ok(None)` when the class is unlimited.
    pub fn check(&self, class: RouteClass, client: IpAddr) -> Result<Option<Admitted>, Refused> {
        let limit = match class {
            RouteClass::Generate => &self.generate,
            RouteClass::Logo => &self.logo,
            RouteClass::Download => &self.download,
            RouteClass::Cleanup => &self.cleanup,
            RouteClass::Other => &self.other,
        };
        let Some(limit) = limit else { return Ok(None) };
        match limit.limiter.check_key(&client) {
            Ok(snapshot) => Ok(Some(Admitted {
                per_minute: limit.per_minute,
                remaining: snapshot.remaining_burst_capacity(),
            })),
            Err(not_until) => Err(Refused {
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

    #[test]
    fn the_101st_generate_in_a_minute_is_refused_with_a_wait() {
        let limiters = Limiters::new(&RateLimits {
            generate: Some(100),
            logo: None,
            download: None,
            cleanup: None,
            default: None,
        });
        let client: IpAddr = "192.0.2.1".parse().unwrap();
        for _ in 0..100 {
            assert!(limiters.check(RouteClass::Generate, client).is_ok());
        }
        let refused = limiters
            .check(RouteClass::Generate, client)
            .err()
            .expect("refused");
        assert!(
            refused.retry_after > Duration::ZERO && refused.retry_after <= Duration::from_secs(1)
        );
        let other: IpAddr = "192.0.2.2".parse().unwrap();
        assert!(
            limiters.check(RouteClass::Generate, other).is_ok(),
            "limits are per client"
        );
        assert!(matches!(limiters.check(RouteClass::Logo, client), Ok(None)));
    }
}
