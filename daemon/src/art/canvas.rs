//! Drawing vocabulary shared by the styles: paints, looks, SMIL animations and shapes, all in the
//! 200-unit design space that every logo is drawn in (the viewBox scales it to the real size).
//!
//! Styles draw onto a [`Surface`]: an SVG document (`art::svg`) or pixels (`raster::painter`).

use super::palette::{Palette, Rgb};
use super::xml::Mark;

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

impl Ink {
    /// The colour this ink stands for, if it is one (not a gradient, `none` or inherited).
    pub fn rgb(self, palette: &Palette) -> Option<Rgb> {
        match self {
            Ink::Inherit | Ink::None | Ink::Url(_) => None,
            Ink::Primary => Some(palette.primary),
            Ink::Secondary => Some(palette.secondary),
            Ink::Accent => Some(palette.accent),
            Ink::Glow => Some(palette.glow),
            Ink::Fixed(rgb) => Some(rgb),
        }
    }
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
    pub fn opacity_attr(&self) -> &'static str {
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

/// What a style draws onto. The same calls make the SVG document and, without any SVG, the
/// rasters, so the two cannot drift apart.
pub trait Surface {
    /// The colours [`Ink`]s stand for.
    fn palette(&self) -> Palette;
    /// Opens the gradient definitions; close with [`Surface::end`].
    fn defs(&mut self);
    /// Closes the innermost open `defs` or group.
    fn end(&mut self);
    fn radial(&mut self, name: &'static str, at: Radial, stops: &[Stop]);
    /// A linear gradient across the whole canvas from `from` to `to` in design units.
    fn linear(&mut self, name: &'static str, from: (f64, f64), to: (f64, f64), stops: &[Stop]);
    /// Opens a group whose paint its children inherit; close with [`Surface::end`].
    fn group(&mut self, look: &Look);
    fn circle(&mut self, centre: (f64, f64), r: f64, look: &Look, anims: &[Anim]);
    fn line(&mut self, from: (f64, f64), to: (f64, f64), look: &Look, anims: &[Anim]);
    /// A quadratic Bézier strand `M start Q control end`.
    fn quad(
        &mut self,
        start: (f64, f64),
        control: (f64, f64),
        end: (f64, f64),
        look: &Look,
        anims: &[Anim],
    );
    /// A closed polygon.
    fn polygon(&mut self, points: &[(f64, f64)], look: &Look, anims: &[Anim]);
    /// Where the seeded part of a drawing begins or ends.
    fn mark(&mut self, mark: Mark);

    /// Draws what depends on the seed. Rasters keep the rest of the drawing as pixels and redraw
    /// only this for a new seed, so it must sit at the top level, between whole elements.
    fn seeded(&mut self, draw: impl FnOnce(&mut Self))
    where
        Self: Sized,
    {
        self.mark(Mark::SeededStart);
        draw(self);
        self.mark(Mark::SeededEnd);
    }
}
