//! One file per drawing style.

mod advanced;
mod ai_moon;
mod dashboard;
mod realism;
mod simple;
mod ultimate;
mod ultra_max;

use super::canvas::Surface;
use super::spec::LogoSpec;
use super::style::Style;

pub fn draw<S: Surface>(spec: &LogoSpec, cv: &mut S) {
    let glow = spec.variant().info().glow_intensity;
    match spec.style() {
        Style::Simple => simple::draw(cv, glow),
        Style::Advanced => advanced::draw(cv, glow, advanced::Finish::Advanced),
        Style::SimpleAdvanced => advanced::draw(cv, glow, advanced::Finish::Holographic),
        Style::Dashboard => dashboard::draw(cv, glow),
        Style::AiMoon => ai_moon::draw(cv, glow, spec.seed()),
        Style::UltraMax => ultra_max::draw(cv, glow, spec.seed()),
        Style::Realism => realism::draw(cv, spec.seed()),
        Style::Ultimate => ultimate::draw(cv, glow, spec.seed()),
    }
}
