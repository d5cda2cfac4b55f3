//! `luna stats`: the daemon's generation statistics.

use super::Ctx;
use crate::output::{BOLD, Output, Table, human_bytes, human_duration};
use luna_ipc::{StatsResult, StoreState};

pub async fn run(ctx: &Ctx) -> anyhow::Result<()> {
    let client = ctx.client().await?;
    let stats = client.stats().await?;
    if ctx.out.json {
        ctx.out.json_result(&stats)?;
    } else {
        ctx.out.text(&render(&stats, &ctx.out))?;
    }
    Ok(())
}

pub fn render(s: &StatsResult, out: &Output) -> String {
    let summary = [
        ("total generated", s.total_generated.to_string()),
        ("cache hits", s.cache_hits.to_string()),
        (
            "last generation",
            s.last_generation.clone().unwrap_or_else(|| "never".into()),
        ),
        (
            "files",
            format!("{} ({})", s.files, human_bytes(s.files_bytes)),
        ),
        ("uptime", human_duration(s.uptime_seconds)),
    ];
    let mut summary = summary.to_vec();
    if s.store == StoreState::Degraded || s.dropped > 0 {
        summary.push((
            "store",
            format!(
                "{} ({} generations buffered, {} dropped)",
                s.store.as_str(),
                s.buffered,
                s.dropped
            ),
        ));
    }
    let mut text = key_values(&summary, out);
    let mut sizes: Vec<(&String, &u64)> = s.sizes_used.iter().collect();
    sizes.sort_by_key(|(size, _)| size.parse::<u64>().unwrap_or(u64::MAX));
    let sections = [
        ("variant", s.variants_used.iter().collect::<Vec<_>>()),
        ("style", s.styles_used.iter().collect()),
        ("size", sizes),
        ("format", s.formats_used.iter().collect()),
    ];
    for (title, counts) in sections {
        if counts.is_empty() {
            continue;
        }
        let mut table = Table::new(&[title, "count>"]);
        for (key, count) in counts {
            table.row(vec![key.clone(), count.to_string()]);
        }
        text.push('\n');
        text.push_str(&table.render(out));
    }
    text
}

/// `key  value` lines with the values aligned.
pub fn key_values(pairs: &[(&str, String)], out: &Output) -> String {
    let width = pairs
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    pairs
        .iter()
        .map(|(k, v)| {
            let pad = " ".repeat(width - k.chars().count());
            format!("{}{pad}  {v}\n", out.paint(BOLD, k))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn counts(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn stats_render_summary_and_sections() {
        let stats = StatsResult {
            total_generated: 12,
            variants_used: counts(&[("power", 2), ("serenity", 10)]),
            sizes_used: counts(&[("1024", 1), ("64", 3), ("200", 8)]),
            styles_used: counts(&[("simple", 12)]),
            formats_used: BTreeMap::new(),
            last_generation: Some("2026-11-25T19:53:35Z".into()),
            cache_hits: 4,
            files: 3,
            files_bytes: 2048,
            uptime_seconds: 3723.5,
            ..StatsResult::default()
        };
        let text = render(&stats, &Output::plain());
        let expected = "\
total generated  12
cache hits       4
last generation  2026-11-25T19:53:35Z
files            3 (2.0 KB)
uptime           1h 2m 3s

variant   count
power         2
serenity     10

style   count
simple     12

size  count
64        3
200       8
1024      1
";
        assert_eq!(text, expected);
    }

    #[test]
    fn a_degraded_store_is_said_with_what_waits() {
        let stats = StatsResult {
            total_generated: 5,
            store: StoreState::Degraded,
            buffered: 3,
            dropped: 1,
            ..StatsResult::default()
        };
        let text = render(&stats, &Output::plain());
        assert!(
            text.contains("store            degraded (3 generations buffered, 1 dropped)\n"),
            "{text}"
        );
        let healthy = render(&StatsResult::default(), &Output::plain());
        assert!(!healthy.contains("store"), "{healthy}");
    }
}
