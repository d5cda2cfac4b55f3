//! Drawing vocabulary shared by the styles: paints, looks, SMIL animations and shapes, all in the
//! 200-unit design space that every logo is drawn in (the viewBox scales it to the real size).

use super::palette::{Palette, Rgb};
use super::xml::{XmlSink, push_num};

/// Side of the design space; the viewBox is `0 0 200 200` at every output size.
pub const SPACE: f64 = 200.0;
/// Centre of the design space on both axes.
pub const C: f64 = SPACE / 2.0;

/// What a fill or stroke is painted with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Ink {
    /// Writes no attribute, so the value is inherited from the enclosing group.
    Inherit,
    None,
    Primary,
    Secondary,
    Accent,
    Glow,
    /// A fixed colour that does not follow the palette (white highlights).
    Fixed(Rgb),
    /// A gradient defined in `<defs>` under this name (without the id prefix).
    Url(&'static str),
}

pub const WHITE_RGB: Rgb = Rgb {
    r: 255,
    g: 255,
    b: 255,
};
pub const WHITE: Ink = Ink::Fixed(WHITE_RGB);

/// Presentation attributes of one element.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Look {
    pub fill: Ink,
    pub stroke: Ink,
    pub width: f64,
    pub opacity: f64,
    pub dash: Option<&'static str>,
}

impl Look {
    pub const fn fill(ink: Ink) -> Look {
        Look {
            fill: ink,
            stroke: Ink::None,
            width: 0.0,
            opacity: 1.0,
            dash: None,
        }
    }

    pub const fn stroke(ink: Ink, width: f64) -> Look {
        Look {
            fill: Ink::None,
            stroke: ink,
            width,
            opacity: 1.0,
            dash: None,
        }
    }

    /// No paint of its own: inherits from the enclosing group.
    pub const INHERIT: Look = Look {
        fill: Ink::Inherit,
        stroke: Ink::Inherit,
        width: 0.0,
        opacity: 1.0,
        dash: None,
    };

    pub const fn opacity(mut self, opacity: f64) -> Look {
        self.opacity = opacity;
        self
    }

    pub const fn dash(mut self, pattern: &'static str) -> Look {
        self.dash = Some(pattern);
        self
    }

    /// Opacity is applied as `fill-opacity` or `stroke-opacity`, never `opacity`: renderers draw
    /// an element with `opacity` in an offscreen layer, which made rasters several times slower.
    /// Every shape here is either filled or stroked, so the two are equivalent.
    fn opacity_attr(&self) -> &'static str {
        if matches!(self.fill, Ink::None | Ink::Inherit) {
            "stroke-opacity"
        } else {
            "fill-opacity"
        }
    }
}

/// A looping SMIL animation `from;to;from` whose duration is `base / animation_speed`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Anim {
    pub attr: &'static str,
    pub from: f64,
    pub to: f64,
    pub base: f64,
    /// Start offset in seconds; not speed-scaled, as in the original.
    pub begin: f64,
}

impl Anim {
    pub const fn new(attr: &'static str, from: f64, to: f64, base: f64) -> Anim {
        Anim {
            attr,
            from,
            to,
            base,
            begin: 0.0,
        }
    }

    pub const fn opacity(from: f64, to: f64, base: f64) -> Anim {
        Anim::new("opacity", from, to, base)
    }

    pub const fn begin(mut self, seconds: f64) -> Anim {
        self.begin = seconds;
        self
    }
}

/// One gradient stop: offset in 0..=1, ink, opacity.
pub type Stop = (f64, Ink, f64);

/// Where a radial gradient sits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Radial {
    /// Fractions of the painted element's bounding box (`cx`, `cy`, `r`, focal `fx`, `fy`).
    Box { c: f64, r: f64, focus: f64 },
    /// Design-space units, centred on the canvas (for rings whose stops are radii).
    Space { r: f64 },
}

impl Radial {
    /// A centred radial gradient over the element's bounding box.
    pub const CENTRED: Radial = Radial::Box {
        c: 0.5,
        r: 0.5,
        focus: 0.5,
    };
}

/// A point on a circle of radius `r` around the canvas centre, angle in degrees (clockwise on screen).
pub fn polar(r: f64, degrees: f64) -> (f64, f64) {
    polar_around(C, C, r, degrees)
}

pub fn polar_around(x: f64, y: f64, r: f64, degrees: f64) -> (f64, f64) {
    let (sin, cos) = degrees.to_radians().sin_cos();
    (x + r * cos, y + r * sin)
}

/// Blends `a` towards `b` by `t` in 0..=1 (used for highlights that must stay visible on any palette).
pub fn mix(a: Rgb, b: Rgb, t: f64) -> Rgb {
    let channel = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
    Rgb {
        r: channel(a.r, b.r),
        g: channel(a.g, b.g),
        b: channel(a.b, b.b),
    }
}

/// The drawing surface: an [`XmlSink`] plus the palette, id prefix and animation settings.
pub struct Canvas<'a, S: XmlSink> {
    sink: &'a mut S,
    prefix: &'a str,
    palette: Palette,
    speed: f64,
    animated: bool,
    scratch: String,
}

impl<'a, S: XmlSink> Canvas<'a, S> {
    pub fn new(
        sink: &'a mut S,
        prefix: &'a str,
        palette: Palette,
        speed: f64,
        animated: bool,
    ) -> Self {
        Canvas {
            sink,
            prefix,
            palette,
            speed,
            animated,
            scratch: String::with_capacity(256),
        }
    }

    pub fn palette(&self) -> Palette {
        self.palette
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
            Ink::Primary => self.palette.primary,
            Ink::Secondary => self.palette.secondary,
            Ink::Accent => self.palette.accent,
            Ink::Glow => self.palette.glow,
            Ink::Fixed(rgb) => rgb,
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

    /// Opens `<defs>`; gradients go inside; close with [`Canvas::end`].
    pub fn defs(&mut self) {
        self.sink.start("defs");
    }

    pub fn end(&mut self) {
        self.sink.end();
    }

    pub fn radial(&mut self, name: &str, at: Radial, stops: &[Stop]) {
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

    /// A linear gradient across the whole canvas from (x1,y1) to (x2,y2) in design units.
    pub fn linear(&mut self, name: &str, from: (f64, f64), to: (f64, f64), stops: &[Stop]) {
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

    /// Opens a `<g>` whose paint its children inherit; close with [`Canvas::end`].
    /// Draws what depends on the seed. Rasters keep the rest of the drawing as pixels and redraw
    /// only this for a new seed, so it must sit at the top level, between whole elements.
    pub fn seeded(&mut self, draw: impl FnOnce(&mut Self)) {
        self.sink.mark(super::xml::Mark::SeededStart);
        draw(self);
        self.sink.mark(super::xml::Mark::SeededEnd);
    }

    pub fn group(&mut self, look: &Look) {
        self.sink.start("g");
        self.look_attrs(look);
    }

    pub fn circle(&mut self, (cx, cy): (f64, f64), r: f64, look: &Look, anims: &[Anim]) {
        self.sink.start("circle");
        self.sink.attr_num("cx", cx);
        self.sink.attr_num("cy", cy);
        self.sink.attr_num("r", r.max(0.0));
        self.look_attrs(look);
        self.animations(look, anims);
        self.sink.end();
    }

    pub fn line(&mut self, from: (f64, f64), to: (f64, f64), look: &Look, anims: &[Anim]) {
        self.sink.start("line");
        self.sink.attr_num("x1", from.0);
        self.sink.attr_num("y1", from.1);
        self.sink.attr_num("x2", to.0);
        self.sink.attr_num("y2", to.1);
        self.look_attrs(look);
        self.animations(look, anims);
        self.sink.end();
    }

    /// A quadratic Bézier strand `M start Q control end`.
    pub fn quad(
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

    /// A closed polygon.
    pub fn polygon(&mut self, points: &[(f64, f64)], look: &Look, anims: &[Anim]) {
        self.scratch.clear();
        for (i, &point) in points.iter().enumerate() {
            self.scratch.push(if i == 0 { 'M' } else { 'L' });
            push_pair(&mut self.scratch, point);
        }
        self.scratch.push('Z');
        self.path_from_scratch(look, anims);
    }

    fn path_from_scratch(&mut self, look: &Look, anims: &[Anim]) {
        self.sink.start("path");
        self.sink.attr("d", &self.scratch);
        self.look_attrs(look);
        self.animations(look, anims);
        self.sink.end();
    }
}

fn push_pair(out: &mut String, (x, y): (f64, f64)) {
    push_num(out, x);
    out.push(' ');
    push_num(out, y);
}
