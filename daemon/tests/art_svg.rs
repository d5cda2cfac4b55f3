//! Structural checks on the SVG documents and property tests over arbitrary options.

use luna_daemon::art::{LogoSpec, Palette, Rgb, Style, Variant, render_svg};
use proptest::prelude::*;
use std::collections::HashSet;

fn parse(svg: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(svg).expect("well-formed XML")
}

fn num(node: roxmltree::Node<'_, '_>, attr: &str) -> f64 {
    node.attribute(attr)
        .unwrap_or_else(|| panic!("<{}> lacks {attr}", node.tag_name().name()))
        .parse()
        .unwrap()
}

fn every_logo(size: u32) -> impl Iterator<Item = (LogoSpec, String)> {
    Style::ALL.into_iter().flat_map(move |style| {
        Variant::ALL.into_iter().map(move |variant| {
            let spec = LogoSpec::new(style, variant, size).unwrap();
            let svg = render_svg(&spec);
            (spec, svg)
        })
    })
}

#[test]
fn large_circles_are_centred_and_everything_stays_on_the_canvas() {
    for (spec, svg) in every_logo(200) {
        let doc = parse(&svg);
        for circle in doc.descendants().filter(|n| n.has_tag_name("circle")) {
            let (cx, cy, r) = (num(circle, "cx"), num(circle, "cy"), num(circle, "r"));
            if r >= 20.0 {
                assert_eq!(
                    (cx, cy),
                    (100.0, 100.0),
                    "{spec:?}: off-centre circle r={r}"
                );
            }
            // The largest radius an animation reaches must also fit.
            let grown = circle
                .children()
                .filter(|a| a.attribute("attributeName") == Some("r"))
                .flat_map(|a| a.attribute("values").unwrap().split(';'))
                .map(|v| v.parse::<f64>().unwrap())
                .fold(r, f64::max);
            let half_stroke = circle
                .attribute("stroke-width")
                .map_or(0.0, |w| w.parse::<f64>().unwrap() / 2.0);
            let reach = grown + half_stroke;
            assert!(
                cx - reach >= -0.01
                    && cx + reach <= 200.01
                    && cy - reach >= -0.01
                    && cy + reach <= 200.01,
                "{spec:?}: circle at ({cx},{cy}) r={grown} leaves the canvas"
            );
        }
        for line in doc.descendants().filter(|n| n.has_tag_name("line")) {
            for attr in ["x1", "y1", "x2", "y2"] {
                let v = num(line, attr);
                assert!((0.0..=200.0).contains(&v), "{spec:?}: line {attr}={v}");
            }
        }
    }
}

#[test]
fn documents_are_accessible_self_contained_and_text_free() {
    for (spec, svg) in every_logo(100) {
        let doc = parse(&svg);
        let root = doc.root_element();
        assert_eq!(root.attribute("width"), Some("100"));
        assert_eq!(root.attribute("viewBox"), Some("0 0 200 200"));
        assert_eq!(root.attribute("role"), Some("img"));
        assert_eq!(
            root.first_element_child().unwrap().tag_name().name(),
            "title"
        );
        for node in doc.descendants().filter(|n| n.is_element()) {
            let tag = node.tag_name().name();
            assert!(
                !matches!(
                    tag,
                    "text" | "tspan" | "script" | "image" | "foreignObject" | "filter" | "use"
                ),
                "{spec:?}: <{tag}>"
            );
            for attr in node.attributes() {
                assert!(
                    !attr.name().contains("href"),
                    "{spec:?}: external reference"
                );
            }
        }
    }
}

#[test]
fn every_definition_is_used_and_every_reference_resolves() {
    for (spec, svg) in every_logo(200) {
        let doc = parse(&svg);
        let prefix = spec.id_prefix_or_default();
        let ids: HashSet<&str> = doc
            .descendants()
            .filter_map(|n| n.attribute("id"))
            .collect();
        for id in &ids {
            assert!(
                id.starts_with(&format!("{prefix}-")),
                "{spec:?}: id {id} lacks the prefix"
            );
        }
        let referenced: HashSet<String> = doc
            .descendants()
            .flat_map(|n| n.attributes())
            .filter_map(|a| {
                a.value()
                    .strip_prefix("url(#")?
                    .strip_suffix(')')
                    .map(str::to_owned)
            })
            .collect();
        for r in &referenced {
            assert!(
                ids.contains(r.as_str()),
                "{spec:?}: url(#{r}) points nowhere"
            );
        }
        let labelled: HashSet<&str> = doc
            .root_element()
            .attribute("aria-labelledby")
            .unwrap()
            .split(' ')
            .collect();
        for id in &ids {
            assert!(
                referenced.contains(*id) || labelled.contains(id),
                "{spec:?}: #{id} is defined but never used"
            );
        }
    }
}

#[test]
fn animation_durations_follow_the_variant_speed() {
    let durations = |style, variant| -> Vec<f64> {
        let svg = render_svg(&LogoSpec::new(style, variant, 200).unwrap());
        parse(&svg)
            .descendants()
            .filter(|n| n.has_tag_name("animate"))
            .map(|n| {
                n.attribute("dur")
                    .unwrap()
                    .trim_end_matches('s')
                    .parse()
                    .unwrap()
            })
            .collect()
    };
    for style in Style::ALL {
        let serenity = durations(style, Variant::Serenity); // speed 1.0
        for variant in Variant::ALL {
            let speed = variant.info().animation_speed;
            let scaled = durations(style, variant);
            assert_eq!(scaled.len(), serenity.len());
            for (base, got) in serenity.iter().zip(&scaled) {
                assert!(
                    (base / speed - got).abs() <= 0.0005,
                    "{style}/{variant}: {got} vs {base}/{speed}"
                );
            }
        }
    }
    assert!(!durations(Style::Advanced, Variant::Power).is_empty());
    assert!(
        durations(Style::Realism, Variant::Power).is_empty(),
        "realism is static, as in the original"
    );
}

#[test]
fn static_logos_have_no_animation_and_inline_logos_get_distinct_ids() {
    for (spec, svg) in every_logo(64) {
        assert!(!render_svg(&spec.clone().with_animated(false)).contains("<animate"));
        if spec.style() != Style::Realism {
            assert!(svg.contains("<animate"), "{spec:?}");
        }
    }
    let a = LogoSpec::new(Style::Simple, Variant::Power, 64).unwrap();
    let b = a.clone().with_seed(9);
    assert_ne!(a.id_prefix_or_default(), b.id_prefix_or_default());
    let named = render_svg(&a.clone().with_id_prefix("hero").unwrap());
    assert!(named.contains("id=\"hero-title\""));
}

#[test]
fn title_is_escaped() {
    let spec = LogoSpec::default().with_title("A <b> & \"c\"").unwrap();
    let svg = render_svg(&spec);
    let doc = parse(&svg);
    let title = doc.descendants().find(|n| n.has_tag_name("title")).unwrap();
    assert_eq!(title.text(), Some("A <b> & \"c\""));
}

fn any_rgb() -> impl Strategy<Value = Rgb> {
    any::<[u8; 3]>().prop_map(|[r, g, b]| Rgb { r, g, b })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Arbitrary options never panic, and every document parses with usvg (the renderer's parser).
    #[test]
    fn arbitrary_options_render_parseable_svg(
        style in 0..Style::ALL.len(),
        variant in 0..Variant::ALL.len(),
        size in 16u32..=2048,
        animated in any::<bool>(),
        seed in any::<u64>(),
        palette in proptest::option::of(proptest::array::uniform4(any_rgb())),
        prefix in proptest::option::of("[A-Za-z][A-Za-z0-9_-]{0,31}"),
        title in proptest::option::of(any::<String>()),
    ) {
        let mut spec = LogoSpec::new(Style::ALL[style], Variant::ALL[variant], size)
            .unwrap()
            .with_animated(animated)
            .with_seed(seed);
        if let Some([primary, secondary, accent, glow]) = palette {
            spec = spec.with_palette(Palette { primary, secondary, accent, glow });
        }
        if let Some(prefix) = prefix {
            spec = spec.with_id_prefix(&prefix).unwrap();
        }
        if let Some(title) = title {
            // Titles with control characters are refused; the rest must render.
            if let Ok(titled) = spec.clone().with_title(&title) {
                spec = titled;
            }
        }
        let svg = render_svg(&spec);
        prop_assert!(usvg::Tree::from_str(&svg, &usvg::Options::default()).is_ok());
        prop_assert!(!svg.contains("<text"));
    }

    /// Arbitrary user strings are either accepted or refused with an error; never a panic.
    #[test]
    fn arbitrary_user_input_is_refused_cleanly(
        style in ".{0,40}",
        variant in ".{0,40}",
        size in any::<i64>(),
        palette in ".{0,80}",
        prefix in ".{0,40}",
    ) {
        if let Ok(spec) = LogoSpec::parse(&style, &variant, size) {
            let _ = spec.clone().with_id_prefix(&prefix);
            if let Ok(p) = Palette::parse(&palette) {
                let _ = render_svg(&spec.with_palette(p));
            }
        } else {
            let _ = Palette::parse(&palette);
        }
    }
}
