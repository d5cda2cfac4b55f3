//! The SVG surface: styles drawn as an SVG document through an [`XmlSink`].

use super::canvas::{Anim, C, Ink, Look, Radial, Stop, Surface};
use super::palette::Palette;
use super::xml::{Mark, XmlSink, push_num};

/// The SVG surface: an [`XmlSink`] plus the palette, id prefix and animation settings.
pub struct SvgCanvas<'a, S: XmlSink> {
    sink: &'a mut S,
    prefix: &'a str,
    palette: Palette,
    speed: f64,
    animated: bool,
    scratch: String,
}

impl<'a, S: XmlSink> SvgCanvas<'a, S> {
    pub fn new(
        sink: &'a mut S,
        prefix: &'a str,
        palette: Palette,
        speed: f64,
        animated: bool,
    ) -> Self {
        SvgCanvas {
            sink,
            prefix,
            palette,
            speed,
            animated,
            scratch: String::with_capacity(256),
        }
    }

    pub fn sink(&mut self) -> &mut S {
        self.sink
    }

    /// Writes `id="<prefix>-<name>"`.
    pub fn id_attr(&mut self, attr: &'static str, name: &str) {
        self.scratch.clear();
        self.scratch.push_str(self.prefix);
        self.scratch.push('-');
        self.scratch.push_str(name);
        self.sink.attr(attr, &self.scratch);
    }

    fn ink_attr(&mut self, attr: &'static str, ink: Ink) {
        let rgb = match ink {
            Ink::Inherit => return,
            Ink::None => return self.sink.attr(attr, "none"),
            Ink::Url(name) => {
                self.scratch.clear();
                self.scratch.push_str("url(#");
                self.scratch.push_str(self.prefix);
                self.scratch.push('-');
                self.scratch.push_str(name);
                self.scratch.push(')');
                return self.sink.attr(attr, &self.scratch);
            }
            colour => colour.rgb(&self.palette).expect("a colour ink"),
        };
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut text = [b'#'; 7];
        for (i, byte) in [rgb.r, rgb.g, rgb.b].into_iter().enumerate() {
            text[1 + 2 * i] = HEX[usize::from(byte >> 4)];
            text[2 + 2 * i] = HEX[usize::from(byte & 15)];
        }
        self.sink
            .attr(attr, std::str::from_utf8(&text).expect("ascii hex"));
    }

    fn look_attrs(&mut self, look: &Look) {
        self.ink_attr("fill", look.fill);
        if !matches!(look.stroke, Ink::None | Ink::Inherit) {
            self.ink_attr("stroke", look.stroke);
            self.sink.attr_num("stroke-width", look.width);
            self.sink.attr("stroke-linecap", "round");
        }
        if let Some(dash) = look.dash {
            self.sink.attr("stroke-dasharray", dash);
        }
        if look.opacity != 1.0 {
            self.sink.attr_num(look.opacity_attr(), look.opacity);
        }
    }

    fn animations(&mut self, look: &Look, anims: &[Anim]) {
        if !self.animated {
            return;
        }
        for anim in anims {
            self.sink.start("animate");
            let attr = if anim.attr == "opacity" {
                look.opacity_attr()
            } else {
                anim.attr
            };
            self.sink.attr("attributeName", attr);
            self.scratch.clear();
            push_num(&mut self.scratch, anim.from);
            self.scratch.push(';');
            push_num(&mut self.scratch, anim.to);
            self.scratch.push(';');
            push_num(&mut self.scratch, anim.from);
            self.sink.attr("values", &self.scratch);
            self.scratch.clear();
            push_num(&mut self.scratch, anim.base / self.speed);
            self.scratch.push('s');
            self.sink.attr("dur", &self.scratch);
            if anim.begin > 0.0 {
                self.scratch.clear();
                push_num(&mut self.scratch, anim.begin);
                self.scratch.push('s');
                self.sink.attr("begin", &self.scratch);
            }
            self.sink.attr("repeatCount", "indefinite");
            self.sink.end();
        }
    }

    fn stops(&mut self, stops: &[Stop]) {
        for &(offset, ink, opacity) in stops {
            self.sink.start("stop");
            self.sink.attr_num("offset", offset);
            self.ink_attr("stop-color", ink);
            if opacity != 1.0 {
                self.sink.attr_num("stop-opacity", opacity);
            }
            self.sink.end();
        }
    }

    fn path_from_scratch(&mut self, look: &Look, anims: &[Anim]) {
        self.sink.start("path");
        self.sink.attr("d", &self.scratch);
        self.look_attrs(look);
        self.animations(look, anims);
        self.sink.end();
    }
}

impl<S: XmlSink> Surface for SvgCanvas<'_, S> {
    fn palette(&self) -> Palette {
        self.palette
    }

    fn mark(&mut self, mark: Mark) {
        self.sink.mark(mark);
    }

    fn defs(&mut self) {
        self.sink.start("defs");
    }

    fn end(&mut self) {
        self.sink.end();
    }

    fn radial(&mut self, name: &'static str, at: Radial, stops: &[Stop]) {
        self.sink.start("radialGradient");
        self.id_attr("id", name);
        match at {
            Radial::Box { c, r, focus } => {
                if c != 0.5 {
                    self.sink.attr_num("cx", c);
                    self.sink.attr_num("cy", c);
                }
                if r != 0.5 {
                    self.sink.attr_num("r", r);
                }
                if focus != c {
                    self.sink.attr_num("fx", focus);
                    self.sink.attr_num("fy", focus);
                }
            }
            Radial::Space { r } => {
                self.sink.attr("gradientUnits", "userSpaceOnUse");
                self.sink.attr_num("cx", C);
                self.sink.attr_num("cy", C);
                self.sink.attr_num("r", r);
            }
        }
        self.stops(stops);
        self.sink.end();
    }

    fn linear(&mut self, name: &'static str, from: (f64, f64), to: (f64, f64), stops: &[Stop]) {
        self.sink.start("linearGradient");
        self.id_attr("id", name);
        self.sink.attr("gradientUnits", "userSpaceOnUse");
        self.sink.attr_num("x1", from.0);
        self.sink.attr_num("y1", from.1);
        self.sink.attr_num("x2", to.0);
        self.sink.attr_num("y2", to.1);
        self.stops(stops);
        self.sink.end();
    }

    fn group(&mut self, look: &Look) {
        self.sink.start("g");
        self.look_attrs(look);
    }

    fn circle(&mut self, (cx, cy): (f64, f64), r: f64, look: &Look, anims: &[Anim]) {
        self.sink.start("circle");
        self.sink.attr_num("cx", cx);
        self.sink.attr_num("cy", cy);
        self.sink.attr_num("r", r.max(0.0));
        self.look_attrs(look);
        self.animations(look, anims);
        self.sink.end();
    }

    fn line(&mut self, from: (f64, f64), to: (f64, f64), look: &Look, anims: &[Anim]) {
        self.sink.start("line");
        self.sink.attr_num("x1", from.0);
        self.sink.attr_num("y1", from.1);
        self.sink.attr_num("x2", to.0);
        self.sink.attr_num("y2", to.1);
        self.look_attrs(look);
        self.animations(look, anims);
        self.sink.end();
    }

    fn quad(
        &mut self,
        start: (f64, f64),
        control: (f64, f64),
        end: (f64, f64),
        look: &Look,
        anims: &[Anim],
    ) {
        self.scratch.clear();
        self.scratch.push('M');
        push_pair(&mut self.scratch, start);
        self.scratch.push('Q');
        push_pair(&mut self.scratch, control);
        self.scratch.push(' ');
        push_pair(&mut self.scratch, end);
        self.path_from_scratch(look, anims);
    }

    fn polygon(&mut self, points: &[(f64, f64)], look: &Look, anims: &[Anim]) {
        self.scratch.clear();
        for (i, &point) in points.iter().enumerate() {
            self.scratch.push(if i == 0 { 'M' } else { 'L' });
            push_pair(&mut self.scratch, point);
        }
        self.scratch.push('Z');
        self.path_from_scratch(look, anims);
    }
}

fn push_pair(out: &mut String, (x, y): (f64, f64)) {
    push_num(out, x);
    out.push(' ');
    push_num(out, y);
}
