//! Streaming writer vs the `svg` crate's document tree, on the very same drawing code.
//!
//! `cargo bench --bench svg_builder`. The decision this informs is in `docs/DECISIONS.md`.

use luna_daemon::art::xml::{SvgWriter, XmlSink};
use luna_daemon::art::{LogoSpec, Style, Variant, render_into};
use svg::Node;
use svg::node::element::Element;

fn main() {
    divan::main();
}

/// Builds an `svg::Document`-style element tree, then serialises it, as a user of that crate would.
struct SvgCrateSink {
    stack: Vec<Element>,
    done: Option<Element>,
}

impl XmlSink for SvgCrateSink {
    fn start(&mut self, tag: &'static str) {
        self.stack.push(Element::new(tag));
    }
    fn attr(&mut self, name: &'static str, value: &str) {
        self.stack.last_mut().unwrap().assign(name, value);
    }
    fn attr_num(&mut self, name: &'static str, value: f64) {
        self.stack.last_mut().unwrap().assign(name, value);
    }
    fn text(&mut self, text: &str) {
        self.stack
            .last_mut()
            .unwrap()
            .append(svg::node::Text::new(text));
    }
    fn end(&mut self) {
        let element = self.stack.pop().unwrap();
        match self.stack.last_mut() {
            Some(parent) => parent.append(element),
            None => self.done = Some(element),
        }
    }
}

fn spec(style: Style) -> LogoSpec {
    LogoSpec::new(style, Variant::Serenity, 200).unwrap()
}

const STYLES: [Style; 8] = Style::ALL;

#[divan::bench(args = STYLES)]
fn streaming_writer(style: Style) -> String {
    let spec = spec(style);
    let mut sink = SvgWriter::with_capacity(24 * 1024);
    render_into(divan::black_box(&spec), &mut sink);
    sink.finish()
}

#[divan::bench(args = STYLES)]
fn svg_crate(style: Style) -> String {
    let spec = spec(style);
    let mut sink = SvgCrateSink {
        stack: Vec::new(),
        done: None,
    };
    render_into(divan::black_box(&spec), &mut sink);
    sink.done.unwrap().to_string()
}
