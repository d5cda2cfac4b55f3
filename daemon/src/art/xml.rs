//! A streaming XML writer for SVG, and the fixed-precision number format every attribute uses.
//!
//! Drawings write through the [`XmlSink`] trait so that the benchmark can run the very same
//! drawing code against the `svg` crate's document builder (see `docs/DECISIONS.md`).

/// The operations a drawing needs from an XML document builder.
pub trait XmlSink {
    /// Opens an element; attributes follow until the first child, text or `end`.
    fn start(&mut self, tag: &'static str);
    /// Adds an attribute. Values are engine-made (numbers, colours, validated ids), never user
    /// text, so they are written as they are; user text only ever goes through [`XmlSink::text`].
    fn attr(&mut self, name: &'static str, value: &str);
    /// Adds a numeric attribute, formatted with [`push_num`].
    fn attr_num(&mut self, name: &'static str, value: f64);
    /// Adds a text child (escaped).
    fn text(&mut self, text: &str);
    /// Closes the most recently opened element.
    fn end(&mut self);
    /// Notes where the seeded part of a drawing begins or ends; writes nothing.
    fn mark(&mut self, _mark: Mark) {}
}

/// The edges of a drawing's seeded parts: rasters redraw only those for a new seed (see
/// `raster::layers`). Marks sit between top-level shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    SeededStart,
    SeededEnd,
}

/// Writes SVG straight into a `String`, with no intermediate tree.
#[derive(Debug, Default)]
pub struct SvgWriter {
    out: String,
    open: Vec<&'static str>,
    /// The last start tag still lacks its closing `>` (so `end` can self-close it).
    tag_pending: bool,
}

impl SvgWriter {
    pub fn with_capacity(bytes: usize) -> Self {
        SvgWriter {
            out: String::with_capacity(bytes),
            open: Vec::with_capacity(8),
            tag_pending: false,
        }
    }

    /// Closes every open element and returns the document.
    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.end();
        }
        self.out
    }

    fn close_pending(&mut self) {
        if self.tag_pending {
            self.out.push('>');
            self.tag_pending = false;
        }
    }
}

impl XmlSink for SvgWriter {
    fn start(&mut self, tag: &'static str) {
        self.close_pending();
        self.out.push('<');
        self.out.push_str(tag);
        self.open.push(tag);
        self.tag_pending = true;
    }

    fn attr(&mut self, name: &'static str, value: &str) {
        debug_assert!(self.tag_pending, "attribute {name} after content");
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        debug_assert!(
            !value.contains(['<', '>', '&', '"', '\'']),
            "attribute {name} needs escaping: {value}"
        );
        self.out.push_str(value);
        self.out.push('"');
    }

    fn attr_num(&mut self, name: &'static str, value: f64) {
        debug_assert!(self.tag_pending, "attribute {name} after content");
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        push_num(&mut self.out, value);
        self.out.push('"');
    }

    fn text(&mut self, text: &str) {
        self.close_pending();
        push_escaped(&mut self.out, text);
    }

    fn end(&mut self) {
        let Some(tag) = self.open.pop() else {
            debug_assert!(false, "end() without an open element");
            return;
        };
        if self.tag_pending {
            self.out.push_str("/>");
            self.tag_pending = false;
        } else {
            self.out.push_str("</");
            self.out.push_str(tag);
            self.out.push('>');
        }
    }
}

/// Escapes the five XML special characters; everything else passes through.
pub fn push_escaped(out: &mut String, text: &str) {
    // Byte scan: every special character is ASCII, so UTF-8 continuation bytes never match, and
    // the common case (nothing to escape) is a single copy.
    let mut copied = 0;
    for (i, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'&' => "&amp;",
            b'"' => "&quot;",
            b'\'' => "&apos;",
            _ => continue,
        };
        out.push_str(&text[copied..i]);
        out.push_str(entity);
        copied = i + 1;
    }
    out.push_str(&text[copied..]);
}

/// Formats a number with at most three decimals, trailing zeros trimmed (`2.667`, `3`, `-0.5`).
///
/// One rounding rule for every number keeps the output byte-stable across platforms and free of
/// float artefacts such as `4.199999999999999`.
pub fn push_num(out: &mut String, value: f64) {
    let scaled = if value.is_finite() {
        value * 1000.0
    } else {
        debug_assert!(false, "non-finite number in SVG output");
        0.0
    };
    // Round half away from zero without a libm call (`f64::round` is not inlined on baseline x86-64).
    let milli = (scaled + 0.5f64.copysign(scaled)) as i64;
    // Assemble in a stack buffer and append once: this function runs a few thousand times per logo.
    let mut buf = [0u8; 32];
    let mut len = 0;
    if milli < 0 {
        buf[0] = b'-';
        len = 1;
    }
    let milli = milli.unsigned_abs();
    let mut digits = itoa::Buffer::new();
    let whole = digits.format(milli / 1000).as_bytes();
    buf[len..len + whole.len()].copy_from_slice(whole);
    len += whole.len();
    let frac = milli % 1000;
    if frac != 0 {
        let decimals = if frac.is_multiple_of(100) {
            1
        } else if frac.is_multiple_of(10) {
            2
        } else {
            3
        };
        buf[len] = b'.';
        let all = [frac / 100, frac / 10 % 10, frac % 10].map(|d| b'0' + d as u8);
        buf[len + 1..len + 1 + decimals].copy_from_slice(&all[..decimals]);
        len += 1 + decimals;
    }
    out.push_str(std::str::from_utf8(&buf[..len]).expect("ASCII digits"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(v: f64) -> String {
        let mut s = String::new();
        push_num(&mut s, v);
        s
    }

    #[test]
    fn numbers_have_at_most_three_decimals() {
        assert_eq!(num(4.199999999999999), "4.2");
        assert_eq!(num(2.6666666666666665), "2.667");
        assert_eq!(num(3.0), "3");
        assert_eq!(num(0.05), "0.05");
        assert_eq!(num(-0.5), "-0.5");
        assert_eq!(num(-0.0001), "0");
        assert_eq!(num(1234.5), "1234.5");
        assert_eq!(num(0.001), "0.001");
    }

    #[test]
    fn writer_self_closes_empty_elements_and_escapes() {
        let mut w = SvgWriter::default();
        w.start("g");
        w.attr("id", "a");
        w.start("circle");
        w.attr_num("r", 1.5);
        w.end();
        w.start("title");
        w.text("x < y");
        w.end();
        let out = w.finish();
        assert_eq!(
            out,
            "<g id=\"a\"><circle r=\"1.5\"/><title>x &lt; y</title></g>"
        );
    }
}
