//! Draws a logo straight onto pixels: the styles' own calls ([`Surface`]), with no SVG text to
//! write and parse again.
//!
//! Discs, rings, lines and strands (dashed or not), which are most of a logo's pixels, are
//! covered by their distance to the shape (`coverage.rs`); polygons, dashed rings and hairlines
//! by tiny-skia's scan converter, from the very call resvg makes. Colours come from gradient
//! tables and are blended here (`colour.rs`). `tests/raster_fidelity.rs` holds the result to
//! resvg's render of the SVG.

mod colour;
mod coverage;

use crate::art::xml::Mark;
use crate::art::{Anim, Ink, LogoSpec, Look, Palette, Radial, Rgb, SPACE, Stop, Surface};
pub(super) use colour::div255;
use colour::{Ramp, ShadeAt, Table, premultiply, table, unit_to_u8};
use coverage::{Polyline, shade_covered, shade_ring};
use tiny_skia::{
    FillRule, LineCap, Mask, Paint, Path, PathBuilder, PathStroker, Pixmap, Stroke, StrokeDash,
    Transform,
};

/// Which parts of a drawing a painter draws (see `raster::layers`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parts {
    All,
    SeedFree,
    Seeded,
}

/// A [`Surface`] that paints onto a pixmap, scaled from the design space to its size.
pub struct Painter<H: FnMut(Mark, &mut Pixmap)> {
    pixmap: Pixmap,
    scale: f32,
    palette: Palette,
    parts: Parts,
    in_seeded: bool,
    /// Told of every mark, with the pixels so far (layers cut the drawing there).
    on_mark: H,
    gradients: Vec<Gradient>,
    /// Colour tables by gradient index and opacity.
    tables: Vec<(usize, u8, Box<Table>)>,
    /// What each open group's children inherit; the first entry is SVG's initial values.
    inherited: Vec<Presentation>,
    open: Vec<Open>,
    /// Coverage of the path being drawn; all zero between paths. Made when first needed.
    mask: Option<Mask>,
    /// Coverage of a hairline being drawn, as the alpha of opaque white; made when first needed.
    hairlines: Option<Pixmap>,
}

/// `spec`'s whole picture at `size`×`size`.
pub fn paint(spec: &LogoSpec, size: u32) -> Option<Pixmap> {
    let mut painter = Painter::new(
        Pixmap::new(size, size)?,
        spec.palette(),
        Parts::All,
        |_, _| {},
    );
    crate::art::draw(spec, &mut painter);
    Some(painter.finish())
}

enum Open {
    Defs,
    Group,
}

pub(super) struct Gradient {
    name: &'static str,
    shape: Shape,
    /// Offsets in 0..=1, never decreasing; colours straight (not premultiplied).
    stops: Vec<(f32, Rgb, f32)>,
}

enum Shape {
    Linear { from: (f64, f64), to: (f64, f64) },
    Radial(Radial),
}

/// SVG's inherited presentation properties, as far as the styles use them.
#[derive(Clone, Copy)]
struct Presentation {
    fill: Ink,
    stroke: Ink,
    width: f64,
    fill_opacity: f64,
    stroke_opacity: f64,
    dash: Option<&'static str>,
}

impl Presentation {
    const INITIAL: Presentation = Presentation {
        fill: Ink::Fixed(Rgb { r: 0, g: 0, b: 0 }),
        stroke: Ink::None,
        width: 1.0,
        fill_opacity: 1.0,
        stroke_opacity: 1.0,
        dash: None,
    };

    /// What an element with `look` shows: mirrors the attributes `art::svg` writes for it.
    fn with(mut self, look: &Look) -> Presentation {
        if look.fill != Ink::Inherit {
            self.fill = look.fill;
        }
        if !matches!(look.stroke, Ink::None | Ink::Inherit) {
            self.stroke = look.stroke;
            self.width = look.width;
        }
        if look.dash.is_some() {
            self.dash = look.dash;
        }
        if look.opacity != 1.0 {
            match look.opacity_attr() {
                "fill-opacity" => self.fill_opacity = look.opacity,
                _ => self.stroke_opacity = look.opacity,
            }
        }
        self
    }
}

impl<H: FnMut(Mark, &mut Pixmap)> Painter<H> {
    pub fn new(pixmap: Pixmap, palette: Palette, parts: Parts, on_mark: H) -> Self {
        Painter {
            scale: pixmap.width() as f32 / SPACE as f32,
            pixmap,
            palette,
            parts,
            in_seeded: false,
            on_mark,
            gradients: Vec::new(),
            tables: Vec::new(),
            inherited: vec![Presentation::INITIAL],
            open: Vec::new(),
            mask: None,
            hairlines: None,
        }
    }

    pub fn finish(self) -> Pixmap {
        self.pixmap
    }

    fn draws_now(&self) -> bool {
        match self.parts {
            Parts::All => true,
            Parts::SeedFree => !self.in_seeded,
            Parts::Seeded => self.in_seeded,
        }
    }

    fn presentation(&self, look: &Look) -> Presentation {
        self.inherited
            .last()
            .unwrap_or(&Presentation::INITIAL)
            .with(look)
    }

    fn gradient(&self, name: &str) -> Option<usize> {
        self.gradients.iter().position(|g| g.name == name)
    }

    fn define(&mut self, name: &'static str, shape: Shape, stops: &[Stop]) {
        let mut last = 0.0f32;
        let stops = stops
            .iter()
            .filter_map(|&(offset, ink, opacity)| {
                let rgb = ink.rgb(&self.palette)?;
                last = (offset as f32).clamp(last, 1.0);
                Some((last, rgb, opacity as f32))
            })
            .collect();
        self.gradients.push(Gradient { name, shape, stops });
    }

    /// How `ink` at `opacity` shades a shape with bounding box `bbox` (design units); `centre`
    /// is a disc's centre in pixels.
    fn shade_at(
        &mut self,
        ink: Ink,
        opacity: f64,
        bbox: Bbox,
        centre: Option<(f32, f32)>,
    ) -> Option<ShadeAt> {
        let alpha = unit_to_u8(opacity as f32);
        match ink {
            Ink::Url(name) => {
                let index = self.gradient(name)?;
                let ramp = self.ramp(index, bbox, centre);
                Some(ShadeAt::Ramp(
                    table(&mut self.tables, &self.gradients, index, alpha),
                    ramp,
                ))
            }
            _ => {
                let rgb = ink.rgb(&self.palette)?;
                Some(ShadeAt::Solid(premultiply([rgb.r, rgb.g, rgb.b, alpha])))
            }
        }
    }

    /// A disc of radius `outer` (pixels) around `centre`, less the disc of radius `inner`.
    fn ring(
        &mut self,
        centre: (f32, f32),
        outer: f32,
        inner: f32,
        ink: Ink,
        opacity: f64,
        bbox: Bbox,
    ) {
        let Some(shade) = self.shade_at(ink, opacity, bbox, Some(centre)) else {
            return;
        };
        let shade = shade.with(&self.tables);
        shade_ring(&mut self.pixmap, centre, outer, inner, &shade);
    }

    /// Paints `ink` where `path` (design units) is filled, or stroked with `stroke`. The
    /// coverage is tiny-skia's, from the very call resvg makes (hairlines and dashes included);
    /// the colour is ours.
    fn cover(&mut self, path: &Path, stroke: Option<&Stroke>, ink: Ink, opacity: f64, bbox: Bbox) {
        let Some(shade) = self.shade_at(ink, opacity, bbox, None) else {
            return;
        };
        let transform = Transform::from_scale(self.scale, self.scale);
        let Some(bounds) = path.bounds().transform(transform) else {
            return;
        };
        let shade = shade.with(&self.tables);
        let size = (self.pixmap.width(), self.pixmap.height());
        let new_mask = || Mask::new(size.0, size.1).expect("the pixmap's own size");
        let Some(stroke) = stroke else {
            let mask = self.mask.get_or_insert_with(new_mask);
            mask.fill_path(path, FillRule::Winding, true, transform);
            return shade_covered(&mut self.pixmap, mask.data_mut(), 1, bounds, 0.0, &shade);
        };
        let reach = stroke.width * self.scale / 2.0;
        if is_hairline(f64::from(stroke.width * self.scale)) {
            // tiny-skia draws these as hairlines with modulated coverage, which only its own
            // stroking call reproduces: drawn as opaque white, its alpha is the coverage.
            let hairlines = self
                .hairlines
                .get_or_insert_with(|| Pixmap::new(size.0, size.1).expect("the pixmap's own size"));
            hairlines.stroke_path(path, &Paint::default(), stroke, transform, None);
            return shade_covered(
                &mut self.pixmap,
                hairlines.data_mut(),
                4,
                bounds,
                reach,
                &shade,
            );
        }
        // Otherwise the stroke's outline, dashed first, filled into the mask, as tiny-skia's
        // own `stroke_path` does.
        let resolution = PathStroker::compute_resolution_scale(&transform);
        let dashed = match &stroke.dash {
            Some(dash) => match path.dash(dash, resolution) {
                Some(dashed) => Some(dashed),
                None => return,
            },
            None => None,
        };
        let Some(outline) = dashed.as_ref().unwrap_or(path).stroke(stroke, resolution) else {
            return;
        };
        let mask = self.mask.get_or_insert_with(new_mask);
        mask.fill_path(&outline, FillRule::Winding, true, transform);
        shade_covered(&mut self.pixmap, mask.data_mut(), 1, bounds, reach, &shade);
    }

    /// How gradient `index` maps pixels to its table, on a shape with bounding box `bbox`
    /// (design units); `centre` is the disc's centre in pixels.
    fn ramp(&self, index: usize, bbox: Bbox, centre: Option<(f32, f32)>) -> Ramp {
        let s = f64::from(self.scale);
        match self.gradients[index].shape {
            Shape::Linear { from, to } => {
                let (vx, vy) = ((to.0 - from.0) * s, (to.1 - from.1) * s);
                let len2 = (vx * vx + vy * vy).max(f64::MIN_POSITIVE);
                Ramp::Linear {
                    x0: (from.0 * s) as f32,
                    y0: (from.1 * s) as f32,
                    vx: (vx / len2) as f32,
                    vy: (vy / len2) as f32,
                }
            }
            Shape::Radial(at) => {
                let (c, r, f) = radial_geometry(at, bbox);
                let (c, r, f) = ((c.0 * s, c.1 * s), r * s, (f.0 * s, f.1 * s));
                let inv_r = (1.0 / r) as f32;
                if f == c && Some((c.0 as f32, c.1 as f32)) == centre {
                    Ramp::Centred { inv_r }
                } else if f == c {
                    Ramp::Radial {
                        cx: c.0 as f32,
                        cy: c.1 as f32,
                        inv_r,
                    }
                } else {
                    let (dx, dy) = (c.0 - f.0, c.1 - f.1);
                    Ramp::Focal {
                        fx: f.0 as f32,
                        fy: f.1 as f32,
                        dx: dx as f32,
                        dy: dy as f32,
                        a: (r * r - dx * dx - dy * dy).max(1e-6) as f32,
                    }
                }
            }
        }
    }

    fn stroke(&mut self, path: &Path, look: &Presentation, bbox: Bbox) {
        let stroke = Stroke {
            width: look.width as f32,
            line_cap: LineCap::Round,
            dash: look.dash.and_then(dash_pattern),
            ..Stroke::default()
        };
        self.cover(path, Some(&stroke), look.stroke, look.stroke_opacity, bbox);
    }

    /// Strokes the open path through `points` (design units) with round caps and joins, covered
    /// by distance ([`Polyline`]); what that cannot draw as tiny-skia would (dashes, hairlines,
    /// a fill) goes to [`Painter::shape`] with `path`.
    fn round_stroke(
        &mut self,
        points: &[(f64, f64)],
        path: Option<Path>,
        look: &Look,
        fillable: bool,
    ) {
        if !self.draws_now() {
            return;
        }
        let now = self.presentation(look);
        let s = f64::from(self.scale);
        let filled = fillable && now.fill != Ink::None;
        let dash = now.dash.map(dash_lengths);
        if matches!(dash, Some(None)) || is_hairline(now.width * s) || filled {
            return self.shape(path, look, fillable);
        }
        if now.stroke == Ink::None || now.width <= 0.0 {
            return;
        }
        let Some(bbox) = path.as_ref().and_then(tight_bounds) else {
            return;
        };
        let Some(shade) = self.shade_at(now.stroke, now.stroke_opacity, bbox, None) else {
            return;
        };
        let shade = shade.with(&self.tables);
        let pixels: Vec<(f32, f32)> = points
            .iter()
            .map(|&(x, y)| ((x * s) as f32, (y * s) as f32))
            .collect();
        let half = (now.width * s / 2.0) as f32;
        let stroke = match dash.flatten() {
            Some(lengths) => {
                let lengths: Vec<f32> = lengths.iter().map(|l| l * self.scale).collect();
                Polyline::dashed(&pixels, half, &lengths)
            }
            None => Polyline::new(&pixels, half),
        };
        stroke.shade(&mut self.pixmap, &shade);
    }

    /// Fills and strokes a path, in SVG's order.
    fn shape(&mut self, path: Option<Path>, look: &Look, fillable: bool) {
        if !self.draws_now() {
            return;
        }
        let Some(path) = path else { return };
        let Some(bbox) = tight_bounds(&path) else {
            return;
        };
        let look = self.presentation(look);
        // As resvg: a path with no area is not filled.
        if fillable && look.fill != Ink::None && bbox.w > 0.0 && bbox.h > 0.0 {
            self.cover(&path, None, look.fill, look.fill_opacity, bbox);
        }
        if look.stroke != Ink::None && look.width > 0.0 {
            self.stroke(&path, &look, bbox);
        }
    }
}

impl<H: FnMut(Mark, &mut Pixmap)> Surface for Painter<H> {
    fn palette(&self) -> Palette {
        self.palette
    }

    fn defs(&mut self) {
        self.open.push(Open::Defs);
    }

    fn end(&mut self) {
        if let Some(Open::Group) = self.open.pop() {
            self.inherited.pop();
        }
    }

    fn radial(&mut self, name: &'static str, at: Radial, stops: &[Stop]) {
        self.define(name, Shape::Radial(at), stops);
    }

    fn linear(&mut self, name: &'static str, from: (f64, f64), to: (f64, f64), stops: &[Stop]) {
        self.define(name, Shape::Linear { from, to }, stops);
    }

    fn group(&mut self, look: &Look) {
        let inherited = self.presentation(look);
        self.inherited.push(inherited);
        self.open.push(Open::Group);
    }

    fn circle(&mut self, (cx, cy): (f64, f64), r: f64, look: &Look, _anims: &[Anim]) {
        if !self.draws_now() || r <= 0.0 {
            return;
        }
        let look = self.presentation(look);
        let bbox = Bbox {
            x: cx - r,
            y: cy - r,
            w: 2.0 * r,
            h: 2.0 * r,
        };
        let s = f64::from(self.scale);
        let centre = ((cx * s) as f32, (cy * s) as f32);
        if look.fill != Ink::None {
            self.ring(
                centre,
                (r * s) as f32,
                0.0,
                look.fill,
                look.fill_opacity,
                bbox,
            );
        }
        if look.stroke == Ink::None || look.width <= 0.0 {
            return;
        }
        // Dashes, and rings thinner than a pixel (which tiny-skia draws as modulated hairlines),
        // take resvg's own path.
        if look.dash.is_some() || is_hairline(look.width * s) {
            if let Some(path) = circle_path(cx as f32, cy as f32, r as f32) {
                self.stroke(&path, &look, bbox);
            }
            return;
        }
        let half = look.width / 2.0;
        let (outer, inner) = (((r + half) * s) as f32, ((r - half).max(0.0) * s) as f32);
        self.ring(centre, outer, inner, look.stroke, look.stroke_opacity, bbox);
    }

    fn line(&mut self, from: (f64, f64), to: (f64, f64), look: &Look, _anims: &[Anim]) {
        let mut path = PathBuilder::new();
        path.move_to(from.0 as f32, from.1 as f32);
        path.line_to(to.0 as f32, to.1 as f32);
        self.round_stroke(&[from, to], path.finish(), look, false);
    }

    fn quad(
        &mut self,
        start: (f64, f64),
        control: (f64, f64),
        end: (f64, f64),
        look: &Look,
        _anims: &[Anim],
    ) {
        let mut path = PathBuilder::new();
        path.move_to(start.0 as f32, start.1 as f32);
        path.quad_to(
            control.0 as f32,
            control.1 as f32,
            end.0 as f32,
            end.1 as f32,
        );
        let points = flatten(start, control, end, f64::from(self.scale));
        self.round_stroke(&points, path.finish(), look, true);
    }

    fn polygon(&mut self, points: &[(f64, f64)], look: &Look, _anims: &[Anim]) {
        let mut path = PathBuilder::new();
        for (i, &(x, y)) in points.iter().enumerate() {
            match i {
                0 => path.move_to(x as f32, y as f32),
                _ => path.line_to(x as f32, y as f32),
            }
        }
        path.close();
        self.shape(path.finish(), look, true);
    }

    fn mark(&mut self, mark: Mark) {
        self.in_seeded = mark == Mark::SeededStart;
        (self.on_mark)(mark, &mut self.pixmap);
    }
}

/// A bounding box in design units.
#[derive(Clone, Copy)]
struct Bbox {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

fn tight_bounds(path: &Path) -> Option<Bbox> {
    let rect = path.compute_tight_bounds()?;
    Some(Bbox {
        x: f64::from(rect.x()),
        y: f64::from(rect.y()),
        w: f64::from(rect.width()),
        h: f64::from(rect.height()),
    })
}

/// A radial gradient's centre, radius and focus in design units, on a shape with `bbox`.
fn radial_geometry(at: Radial, bbox: Bbox) -> ((f64, f64), f64, (f64, f64)) {
    match at {
        Radial::Box { c, r, focus } => {
            // Square boxes only (discs): the styles put bounding-box gradients on nothing else.
            let size = bbox.w.max(bbox.h);
            let at = |u: f64| (bbox.x + u * bbox.w, bbox.y + u * bbox.h);
            (at(c), r * size, at(focus))
        }
        Radial::Space { r } => {
            let c = (SPACE / 2.0, SPACE / 2.0);
            (c, r, c)
        }
    }
}

/// The circle as usvg makes it: four arcs from its rightmost point, clockwise on screen (where
/// dashes start).
fn circle_path(cx: f32, cy: f32, r: f32) -> Option<Path> {
    // Control-point distance for a quarter circle as cubic Béziers.
    const KAPPA: f32 = 0.552_284_8;
    let k = r * KAPPA;
    let mut path = PathBuilder::new();
    path.move_to(cx + r, cy);
    path.cubic_to(cx + r, cy + k, cx + k, cy + r, cx, cy + r);
    path.cubic_to(cx - k, cy + r, cx - r, cy + k, cx - r, cy);
    path.cubic_to(cx - r, cy - k, cx - k, cy - r, cx, cy - r);
    path.cubic_to(cx + k, cy - r, cx + r, cy - k, cx + r, cy);
    path.close();
    path.finish()
}

/// A quadratic Bézier as points close enough that the chords stay within 0.1 px of the curve
/// at `scale` (a quadratic's chord error over a parameter step h is |P0 − 2P1 + P2|·h²/4).
fn flatten(p0: (f64, f64), p1: (f64, f64), p2: (f64, f64), scale: f64) -> Vec<(f64, f64)> {
    let bend = ((p0.0 - 2.0 * p1.0 + p2.0).hypot(p0.1 - 2.0 * p1.1 + p2.1)) * scale;
    let pieces = (bend / (4.0 * 0.1)).sqrt().ceil().clamp(1.0, 256.0) as usize;
    (0..=pieces)
        .map(|i| {
            let t = i as f64 / pieces as f64;
            let (a, b, c) = ((1.0 - t) * (1.0 - t), 2.0 * t * (1.0 - t), t * t);
            (
                a * p0.0 + b * p1.0 + c * p2.0,
                a * p0.1 + b * p1.1 + c * p2.1,
            )
        })
        .collect()
}

/// tiny-skia draws a stroke at most a pixel wide (after scaling) as a hairline.
fn is_hairline(width_px: f64) -> bool {
    width_px <= 1.0
}

/// `"12 5"` as lengths (design units), if every one is a number.
fn dash_lengths(text: &str) -> Option<Vec<f32>> {
    text.split([' ', ','])
        .filter(|part| !part.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()
}

/// `"12 5"` as tiny-skia's dash.
fn dash_pattern(text: &str) -> Option<StrokeDash> {
    StrokeDash::new(dash_lengths(text)?, 0.0)
}
