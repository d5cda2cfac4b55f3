//! PNG, ICO and favicon outputs decode back to what was asked for.

use luna_daemon::art::{LogoSpec, Style, Variant};
use luna_daemon::raster::{FAVICON_SIZES, ICO_SIZES, favicon_set, ico, png};

fn decode(png_bytes: &[u8]) -> (png::OutputInfo, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().expect("valid PNG header");
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).expect("valid PNG data");
    (info, pixels)
}

#[test]
fn png_has_the_requested_size_a_transparent_background_and_a_drawn_centre() {
    for size in [16, 64, 256, 512] {
        for style in Style::ALL {
            let spec = LogoSpec::new(style, Variant::Awakening, size).unwrap();
            let (info, pixels) = decode(&png(&spec).unwrap());
            assert_eq!((info.width, info.height), (size, size));
            assert_eq!(info.color_type, png::ColorType::Rgba);
            let alpha = |x: u32, y: u32| pixels[((y * size + x) * 4 + 3) as usize];
            assert_eq!(alpha(0, 0), 0, "{style}@{size}: corner is not transparent");
            assert!(
                alpha(size / 2, size / 2) > 128,
                "{style}@{size}: centre is empty"
            );
        }
    }
}

#[test]
fn ico_bundles_16_32_and_48_pixel_images() {
    let spec = LogoSpec::new(Style::Simple, Variant::Power, 200).unwrap();
    let bytes = ico(&spec).unwrap();
    let dir = ico::IconDir::read(std::io::Cursor::new(&bytes)).unwrap();
    let sizes: Vec<u32> = dir.entries().iter().map(|e| e.width()).collect();
    assert_eq!(sizes, ICO_SIZES);
    for entry in dir.entries() {
        let image = entry.decode().unwrap();
        assert_eq!(image.width(), entry.width());
        assert!(image.rgba_data().chunks(4).any(|px| px[3] == 255));
    }
}

#[test]
fn favicon_set_covers_browsers_and_phones() {
    let spec = LogoSpec::new(Style::Simple, Variant::Serenity, 200).unwrap();
    let set = favicon_set(&spec).unwrap();
    assert_eq!(
        set.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
        FAVICON_SIZES
    );
    for (size, bytes) in set {
        let (info, _) = decode(&bytes);
        assert_eq!((info.width, info.height), (size, size));
    }
}

#[test]
fn png_bytes_are_reproducible_for_caching() {
    let spec = LogoSpec::new(Style::Ultimate, Variant::Creative, 128)
        .unwrap()
        .with_seed(99);
    assert_eq!(png(&spec).unwrap(), png(&spec).unwrap());
    assert_ne!(
        png(&spec).unwrap(),
        png(&spec.clone().with_seed(100)).unwrap()
    );
}
