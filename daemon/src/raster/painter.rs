//! Draws a logo straight onto pixels: the styles' own calls ([`Surface`]), with no SVG text to
//! write and parse again.
//!
//! Discs and rings, which are most of a logo's pixels (auras, moons, glows), are shaded here:
//! each pixel's coverage comes from its distance to the circle, and a gradient's colour from a
//! table. Everything else (lines, strands, polygons, dashed rings) goes to tiny-skia as resvg
//! would send it. `tests/raster_fidelity.rs` holds the result to resvg's render of the SVG.

use crate::art::xml::Mark;
use crate::art::{Anim, Ink, LogoSpec, Look, Palette, Radial, Rgb, SPACE, Stop, Surface};
use tiny_skia::{
    FillRule, LineCap, Mask, Paint, Path, PathBuilder, PathStroker, Pixmap, Rect, Stroke,
    StrokeDash, Transform,
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
    /// Coverage of the path being drawn; all zero between paths.
    mask: Mask,
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

struct Gradient {
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

/// Entries in a gradient's colour table: enough that neighbours differ by under one level at
/// the largest size.
const TABLE: usize = 1024;
type Table = [[u8; 4]; TABLE];

/// Where a gradient's table is read for a pixel, in pixel units.
#[derive(Clone, Copy)]
enum Ramp {
    /// Distance from the disc's own centre over the radius.
    Centred { inv_r: f32 },
    /// Distance from the centre over the radius.
    Radial { cx: f32, cy: f32, inv_r: f32 },
    /// SVG's focal radial gradient: the focus `f` inside the circle of centre `f + d`, radius `r`;
    /// `a` is `r² - |d|²`.
    Focal {
        fx: f32,
        fy: f32,
        dx: f32,
        dy: f32,
        a: f32,
    },
    /// Projection onto `from → to`, over its squared length.
    Linear { x0: f32, y0: f32, vx: f32, vy: f32 },
}

/// What a shape is shaded with.
enum Shade<'t> {
    Solid([u8; 4]),
    Ramp(&'t Table, Ramp),
}

/// A [`Shade`] whose table is `Painter::tables[.0]`.
enum ShadeAt {
    Solid([u8; 4]),
    Ramp(usize, Ramp),
}

impl<H: FnMut(Mark, &mut Pixmap)> Painter<H> {
    pub fn new(pixmap: Pixmap, palette: Palette, parts: Parts, on_mark: H) -> Self {
        let (width, height) = (pixmap.width(), pixmap.height());
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
            mask: Mask::new(width, height).expect("the pixmap's own size"),
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
        let shade = match shade {
            ShadeAt::Solid(colour) => Shade::Solid(colour),
            ShadeAt::Ramp(at, ramp) => Shade::Ramp(&self.tables[at].2, ramp),
        };
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
        let shade = match shade {
            ShadeAt::Solid(colour) => Shade::Solid(colour),
            ShadeAt::Ramp(at, ramp) => Shade::Ramp(&self.tables[at].2, ramp),
        };
        let Some(stroke) = stroke else {
            self.mask
                .fill_path(path, FillRule::Winding, true, transform);
            return shade_covered(
                &mut self.pixmap,
                self.mask.data_mut(),
                1,
                bounds,
                0.0,
                &shade,
            );
        };
        let reach = stroke.width * self.scale / 2.0;
        if is_hairline(f64::from(stroke.width * self.scale)) {
            // tiny-skia draws these as hairlines with modulated coverage, which only its own
            // stroking call reproduces: drawn as opaque white, its alpha is the coverage.
            let size = (self.pixmap.width(), self.pixmap.height());
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
        self.mask
            .fill_path(&outline, FillRule::Winding, true, transform);
        shade_covered(
            &mut self.pixmap,
            self.mask.data_mut(),
            1,
            bounds,
            reach,
            &shade,
        );
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
        let look_now = self.presentation(look);
        let s = f64::from(self.scale);
        // Dashed lines and lines thinner than a pixel (hairlines in tiny-skia) take resvg's path.
        if look_now.dash.is_some() || is_hairline(look_now.width * s) || !self.draws_now() {
            return self.shape(path.finish(), look, false);
        }
        let Some(bbox) = path.finish().as_ref().and_then(tight_bounds) else {
            return;
        };
        if look_now.stroke == Ink::None {
            return;
        }
        let centre = None;
        let Some(shade) = self.shade_at(look_now.stroke, look_now.stroke_opacity, bbox, centre)
        else {
            return;
        };
        let shade = match shade {
            ShadeAt::Solid(colour) => Shade::Solid(colour),
            ShadeAt::Ramp(at, ramp) => Shade::Ramp(&self.tables[at].2, ramp),
        };
        let px = |(x, y): (f64, f64)| ((x * s) as f32, (y * s) as f32);
        Capsule::new(px(from), px(to), (look_now.width * s / 2.0) as f32)
            .shade(&mut self.pixmap, &shade);
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
        self.shape(path.finish(), look, true);
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

/// Where in `tables` the colour table of `gradients[index]` painted at `alpha` is, made once
/// (premultiplied, as tiny-skia interpolates: straight colours between stops, then premultiplied).
fn table(
    tables: &mut Vec<(usize, u8, Box<Table>)>,
    gradients: &[Gradient],
    index: usize,
    alpha: u8,
) -> usize {
    match tables
        .iter()
        .position(|(i, a, _)| *i == index && *a == alpha)
    {
        Some(at) => at,
        None => {
            let stops = stop_colours(&gradients[index].stops, alpha);
            let mut table = Box::new([[0u8; 4]; TABLE]);
            for (i, entry) in table.iter_mut().enumerate() {
                *entry = colour_at(&stops, i as f32 / (TABLE - 1) as f32);
            }
            tables.push((index, alpha, table));
            tables.len() - 1
        }
    }
}

/// tiny-skia draws a stroke at most a pixel wide (after scaling) as a hairline.
fn is_hairline(width_px: f64) -> bool {
    width_px <= 1.0
}

/// `"12 5"` as tiny-skia's dash.
fn dash_pattern(text: &str) -> Option<StrokeDash> {
    let lengths: Vec<f32> = text
        .split([' ', ','])
        .filter(|part| !part.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    StrokeDash::new(lengths, 0.0)
}

/// A 0–1 value as 0–255, rounded (as usvg's opacities are).
fn unit_to_u8(value: f32) -> u8 {
    (value.clamp(0.0, 1.0) * 255.0 + 0.5) as u8
}

fn premultiply([r, g, b, a]: [u8; 4]) -> [u8; 4] {
    let times = |c: u8| div255(u32::from(c) * u32::from(a)) as u8;
    [times(r), times(g), times(b), a]
}

/// Stops as straight RGBA in 0–1, their alphas quantised as resvg does (stop opacity × paint
/// opacity, to 8 bits).
fn stop_colours(stops: &[(f32, Rgb, f32)], alpha: u8) -> Vec<(f32, [f32; 4])> {
    stops
        .iter()
        .map(|&(offset, rgb, opacity)| {
            let a = unit_to_u8(opacity * f32::from(alpha) / 255.0);
            let unit = |c: u8| f32::from(c) / 255.0;
            (offset, [unit(rgb.r), unit(rgb.g), unit(rgb.b), unit(a)])
        })
        .collect()
}

/// The premultiplied colour at `t`, padded beyond the first and last stops.
fn colour_at(stops: &[(f32, [f32; 4])], t: f32) -> [u8; 4] {
    let straight = match stops {
        [] => [0.0; 4],
        [(_, only)] => *only,
        _ => {
            let next = stops.iter().position(|(offset, _)| *offset > t);
            match next {
                None => stops[stops.len() - 1].1,
                Some(0) => stops[0].1,
                Some(i) => {
                    let ((o0, c0), (o1, c1)) = (stops[i - 1], stops[i]);
                    let f = (t - o0) / (o1 - o0);
                    std::array::from_fn(|k| c0[k] + (c1[k] - c0[k]) * f)
                }
            }
        }
    };
    let a = straight[3];
    let channel = |c: f32| (c * 255.0 + 0.5) as u8;
    [
        channel(straight[0] * a),
        channel(straight[1] * a),
        channel(straight[2] * a),
        channel(a),
    ]
}

/// Shades the pixels of a ring (a disc when `inner` is 0) with exact-area anti-aliasing along
/// both edges: a pixel's coverage is its centre's distance inside the edge, plus half a pixel.
fn shade_ring(pixmap: &mut Pixmap, (cx, cy): (f32, f32), outer: f32, inner: f32, shade: &Shade) {
    let (width, height) = (pixmap.width() as i64, pixmap.height() as i64);
    let reach = outer + 0.5;
    let hole = inner - 0.5;
    let top = ((cy - reach).floor() as i64).max(0);
    let bottom = ((cy + reach).ceil() as i64).min(height);
    let data = pixmap.data_mut();
    let ring = Ring { cx, outer, inner };
    for y in top..bottom {
        let py = y as f32 + 0.5;
        let dy = py - cy;
        let span2 = reach * reach - dy * dy;
        if span2 <= 0.0 {
            continue;
        }
        let span = span2.sqrt();
        let left = ((cx - span - 0.5).ceil() as i64).max(0);
        let right = ((cx + span - 0.5).floor() as i64).min(width - 1);
        let row = &mut data[(y * width * 4) as usize..((y + 1) * width * 4) as usize];
        // Pixels whose centres lie inside the hole are untouched.
        if hole > 0.0 && hole * hole > dy * dy {
            let half = (hole * hole - dy * dy).sqrt();
            let hole_left = (cx - half - 0.5).floor() as i64 + 1;
            let hole_right = (cx + half - 0.5).ceil() as i64 - 1;
            ring.shade_span(row, left..hole_left.min(right + 1), py, dy, shade);
            ring.shade_span(row, (hole_right + 1).max(left)..right + 1, py, dy, shade);
        } else {
            ring.shade_span(row, left..right + 1, py, dy, shade);
        }
    }
}

/// Shades the pixels `coverage` covers within `bounds` grown by `reach` (pixels), and clears
/// the coverage there. `coverage` holds `stride` bytes a pixel, the last one the coverage (a
/// mask, or the alpha of a pixmap).
fn shade_covered(
    pixmap: &mut Pixmap,
    coverage: &mut [u8],
    stride: usize,
    bounds: Rect,
    reach: f32,
    shade: &Shade,
) {
    let (width, height) = (pixmap.width() as usize, pixmap.height() as usize);
    // Two more pixels: anti-aliasing and round caps reach just past the grown bounds.
    let grow = reach + 2.0;
    let clamp = |v: f32, max: usize| (v.max(0.0) as usize).min(max);
    let (left, right) = (
        clamp(bounds.left() - grow, width),
        clamp(bounds.right() + grow + 1.0, width),
    );
    let (top, bottom) = (
        clamp(bounds.top() - grow, height),
        clamp(bounds.bottom() + grow + 1.0, height),
    );
    let pixels = pixmap.data_mut();
    let n = right.saturating_sub(left);
    for y in top..bottom {
        let covered = &mut coverage[(y * width + left) * stride..(y * width + right) * stride];
        let row = &mut pixels[(y * width + left) * 4..(y * width + right) * 4];
        let mut x = 0;
        while x < n {
            // Most of a stroke's box is empty: skip it eight pixels at a time.
            if stride == 1 {
                while x + 8 <= n && covered[x..x + 8] == [0; 8] {
                    x += 8;
                }
            }
            // The run of covered pixels from here, at most a batch.
            let mut cover = [0u32; BATCH];
            let mut m = 0;
            while x + m < n && m < BATCH {
                let at = (x + m) * stride + stride - 1;
                let c = covered[at];
                if c == 0 {
                    break;
                }
                cover[m] = u32::from(c);
                for byte in &mut covered[at + 1 - stride..=at] {
                    *byte = 0;
                }
                m += 1;
            }
            if m == 0 {
                x += 1;
                continue;
            }
            let x0 = (left + x) as f32 + 0.5;
            let batch = &mut row[x * 4..(x + m) * 4];
            blend_batch(batch, &cover[..m], shade, x0, y as f32 + 0.5, &[]);
            x += m;
        }
    }
}

struct Ring {
    cx: f32,
    outer: f32,
    inner: f32,
}

/// Pixels shaded per batch: the distance and coverage loops over a batch vectorise.
const BATCH: usize = 64;

impl Ring {
    fn shade_span(
        &self,
        row: &mut [u8],
        xs: std::ops::Range<i64>,
        py: f32,
        dy: f32,
        shade: &Shade,
    ) {
        let dy2 = dy * dy;
        let mut x = xs.start;
        while x < xs.end {
            let n = ((xs.end - x) as usize).min(BATCH);
            let first = x as f32 + 0.5 - self.cx;
            let mut distance = [0f32; BATCH];
            for (i, d) in distance[..n].iter_mut().enumerate() {
                let dx = first + i as f32;
                *d = (dx * dx + dy2).sqrt();
            }
            let mut cover = [0u32; BATCH];
            for (c, d) in cover[..n].iter_mut().zip(&distance[..n]) {
                let inside =
                    (self.outer - d + 0.5).clamp(0.0, 1.0) - (self.inner - d + 0.5).clamp(0.0, 1.0);
                *c = round_small(inside * 255.0);
            }
            let pixels = &mut row[x as usize * 4..(x as usize + n) * 4];
            blend_batch(
                pixels,
                &cover[..n],
                shade,
                first + self.cx,
                py,
                &distance[..n],
            );
            x += n as i64;
        }
    }
}

/// A round-capped line from `a` to `b` (pixels), `half` its half width.
struct Capsule {
    a: (f32, f32),
    /// Unit direction from `a` to `b`, and the length.
    u: (f32, f32),
    length: f32,
    half: f32,
}

impl Capsule {
    fn new(a: (f32, f32), b: (f32, f32), half: f32) -> Capsule {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let length = (dx * dx + dy * dy).sqrt();
        let u = match length > 0.0 {
            true => (dx / length, dy / length),
            false => (1.0, 0.0),
        };
        Capsule { a, u, length, half }
    }

    /// The offsets from `a.x` of the row's points within `reach` of the segment: the capsule is
    /// convex, so the union of its band's and its end discs' intervals is one interval.
    fn row_span(&self, py: f32, reach: f32) -> Option<(f32, f32)> {
        let dy = py - self.a.1;
        let (ux, uy) = self.u;
        let mut span: Option<(f32, f32)> = None;
        let mut widen = |lo: f32, hi: f32| {
            if lo <= hi {
                span = Some(span.map_or((lo, hi), |(l, h)| (l.min(lo), h.max(hi))));
            }
        };
        // The end discs.
        for (cx, cy) in [(0.0, dy), (self.length * ux, dy - self.length * uy)] {
            let room = reach * reach - cy * cy;
            if room >= 0.0 {
                let half = room.sqrt();
                widen(cx - half, cx + half);
            }
        }
        // The band: |t·(-uy) + dy·ux| ≤ reach and 0 ≤ t·ux + dy·uy ≤ length, for t = x - ax.
        let mut band = (f32::NEG_INFINITY, f32::INFINITY);
        for (k, m, lo, hi) in [
            (-uy, dy * ux, -reach, reach),
            (ux, dy * uy, 0.0, self.length),
        ] {
            if k.abs() < 1e-6 {
                if m < lo || m > hi {
                    return span;
                }
            } else {
                let (p, q) = ((lo - m) / k, (hi - m) / k);
                band = (band.0.max(p.min(q)), band.1.min(p.max(q)));
            }
        }
        widen(band.0, band.1);
        span
    }

    fn shade(&self, pixmap: &mut Pixmap, shade: &Shade) {
        let (width, height) = (pixmap.width() as i64, pixmap.height() as i64);
        let reach = self.half + 0.5;
        let (ax, ay) = self.a;
        let by = ay + self.u.1 * self.length;
        let top = ((ay.min(by) - reach).floor() as i64).max(0);
        let bottom = ((ay.max(by) + reach).ceil() as i64).min(height);
        let data = pixmap.data_mut();
        for y in top..bottom {
            let py = y as f32 + 0.5;
            let Some((lo, hi)) = self.row_span(py, reach) else {
                continue;
            };
            let left = ((ax + lo - 0.5).ceil() as i64).max(0);
            let right = ((ax + hi - 0.5).floor() as i64).min(width - 1);
            let row = &mut data[(y * width * 4) as usize..((y + 1) * width * 4) as usize];
            let mut x = left;
            while x <= right {
                let n = ((right + 1 - x) as usize).min(BATCH);
                let first = x as f32 + 0.5;
                let mut cover = [0u32; BATCH];
                let (ux, uy) = self.u;
                let qy = py - ay;
                for (i, c) in cover[..n].iter_mut().enumerate() {
                    let qx = first + i as f32 - ax;
                    let t = (qx * ux + qy * uy).clamp(0.0, self.length);
                    let (ex, ey) = (qx - t * ux, qy - t * uy);
                    let d = (ex * ex + ey * ey).sqrt();
                    *c = round_small((self.half - d + 0.5).clamp(0.0, 1.0) * 255.0);
                }
                let pixels = &mut row[x as usize * 4..(x as usize + n) * 4];
                blend_batch(pixels, &cover[..n], shade, first, py, &[]);
                x += n as i64;
            }
        }
    }
}

/// Lays `shade` over a batch of `pixels` at coverages `cover`; the first pixel's centre is
/// (`x0`, `py`), and `distance` holds the pixels' distances to a disc's centre (for
/// [`Ramp::Centred`]), or nothing.
fn blend_batch(
    pixels: &mut [u8],
    cover: &[u32],
    shade: &Shade,
    x0: f32,
    py: f32,
    distance: &[f32],
) {
    match shade {
        Shade::Solid(colour) => {
            let colour = u32::from_le_bytes(*colour);
            for (pixel, &c) in pixels.chunks_exact_mut(4).zip(cover) {
                blend(pixel, colour, c);
            }
        }
        Shade::Ramp(table, ramp) => {
            let mut index = [0u32; BATCH];
            let index = &mut index[..cover.len()];
            ramp.indices(index, x0, py, distance);
            for ((pixel, &c), &i) in pixels.chunks_exact_mut(4).zip(cover).zip(index.iter()) {
                blend(pixel, u32::from_le_bytes(table[i as usize]), c);
            }
        }
    }
}

impl Ramp {
    /// Table indices for a batch of pixels from centre `x0` on, one apart, in row `py`;
    /// `distance` holds their distances to the disc's centre.
    fn indices(self, index: &mut [u32], x0: f32, py: f32, distance: &[f32]) {
        const LAST: f32 = (TABLE - 1) as f32;
        let at = |t: f32| round_small(t.clamp(0.0, 1.0) * LAST);
        match self {
            Ramp::Centred { inv_r } => {
                for (i, d) in index.iter_mut().zip(distance) {
                    *i = at(d * inv_r);
                }
            }
            Ramp::Radial { cx, cy, inv_r } => {
                let dy2 = (py - cy) * (py - cy);
                for (k, i) in index.iter_mut().enumerate() {
                    let dx = x0 + k as f32 - cx;
                    *i = at((dx * dx + dy2).sqrt() * inv_r);
                }
            }
            Ramp::Focal { fx, fy, dx, dy, a } => {
                let qy = py - fy;
                for (k, i) in index.iter_mut().enumerate() {
                    let qx = x0 + k as f32 - fx;
                    let b = qx * dx + qy * dy;
                    *i = at((-b + (b * b + a * (qx * qx + qy * qy)).max(0.0).sqrt()) / a);
                }
            }
            Ramp::Linear { x0: lx, y0, vx, vy } => {
                let along_y = (py - y0) * vy;
                for (k, i) in index.iter_mut().enumerate() {
                    *i = at((x0 + k as f32 - lx) * vx + along_y);
                }
            }
        }
    }
}

/// `x` rounded to the nearest integer, for `0 ≤ x < 2²²`: adding 1.5 × 2²³ leaves the integer in
/// the mantissa. Branch-free, unlike `as`, which saturates (and so stops the loops vectorising).
#[inline(always)]
fn round_small(x: f32) -> u32 {
    (x + 12_582_912.0).to_bits() & 0x3f_ffff
}

/// Lays premultiplied `colour` (RGBA in a little-endian word), at coverage `cover` (0–255),
/// over the pixel: two channels per multiply.
#[inline(always)]
fn blend(pixel: &mut [u8], colour: u32, cover: u32) {
    let src = match cover {
        0 => return,
        255 => colour,
        _ => scale(colour, cover),
    };
    let keep = 255 - (src >> 24);
    let dst = u32::from_le_bytes([pixel[0], pixel[1], pixel[2], pixel[3]]);
    let out = match keep {
        0 => src,
        _ => src + scale(dst, keep),
    };
    pixel.copy_from_slice(&out.to_le_bytes());
}

/// Every channel of `rgba` times `factor` / 255, rounded.
#[inline(always)]
fn scale(rgba: u32, factor: u32) -> u32 {
    const MASK: u32 = 0x00ff_00ff;
    let rb = (rgba & MASK) * factor + 0x0080_0080;
    let ga = ((rgba >> 8) & MASK) * factor + 0x0080_0080;
    let rb = ((rb + ((rb >> 8) & MASK)) >> 8) & MASK;
    let ga = (ga + ((ga >> 8) & MASK)) & !MASK;
    rb | ga
}

/// `x / 255`, rounded to nearest, for `x ≤ 255 × 255`.
#[inline(always)]
fn div255(x: u32) -> u32 {
    let x = x + 128;
    (x + (x >> 8)) >> 8
}
