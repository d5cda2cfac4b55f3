//! The IPC protocol of a real lunad, checked against `ipc/PROTOCOL.md`: greeting, every command's
//! result shape, output formats, caching, style aliases, and pipelining. The file store,
//! statistics and cleanup are in `daemon_store.rs`.

mod support;

use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use support::{Daemon, decode_data};

fn generate(d: &Daemon, args: Value) -> Value {
    d.ok("generate", args)
}

#[test]
fn greeting_announces_protocol_1_and_features() {
    let d = Daemon::start();
    let conn = d.connect();
    let hello = &conn.greeting.as_ref().unwrap()["hello"];
    assert_eq!(hello["server"], "lunad");
    assert_eq!(hello["proto"], 1);
    assert_eq!(hello["version"], env!("CARGO_PKG_VERSION"));
    assert!(
        hello["algorithm"].as_u64().is_some_and(|a| a >= 1),
        "{hello}"
    );
    let features: BTreeSet<&str> = hello["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    for f in ["events", "cleanup", "files", "raster", "webp", "favicon"] {
        assert!(features.contains(f), "feature {f} missing: {hello}");
    }
    // The greeting is a whole object of its own, with no reply or event keys.
    let greeting = conn.greeting.as_ref().unwrap().as_object().unwrap();
    assert_eq!(greeting.keys().collect::<Vec<_>>(), ["hello"]);
}

#[test]
fn ping_version_and_commands() {
    let d = Daemon::start();
    let mut c = d.connect();
    assert_eq!(c.ok("ping", Value::Null), json!({"pong": true}));
    // Commands without arguments accept an absent args, null or {}.
    assert_eq!(c.ok("ping", json!({})), json!({"pong": true}));
    let reply = c.request(json!({"id": 3, "cmd": "ping", "args": null}));
    assert_eq!(
        reply,
        json!({"id": 3, "ok": true, "result": {"pong": true}})
    );

    let v = c.ok("version", Value::Null);
    assert_eq!(v["server"], "lunad");
    assert_eq!(v["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(v["proto"], 1);
    assert_eq!(
        v["algorithm"],
        d.greeting.as_ref().unwrap()["hello"]["algorithm"]
    );
    assert_eq!(v["pid"], d.pid());
    let uptime = v["uptime_seconds"].as_f64().unwrap();
    assert!((0.0..60.0).contains(&uptime), "{v}");

    let commands = c.ok("commands", Value::Null);
    let commands: Vec<&str> = commands["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let expected = [
        "ping",
        "version",
        "commands",
        "variants",
        "styles",
        "generate",
        "favicon",
        "stats",
        "files",
        "file",
        "cleanup",
        "subscribe",
        "unsubscribe",
        "shutdown",
    ];
    assert_eq!(
        commands.iter().copied().collect::<BTreeSet<_>>(),
        expected.into_iter().collect::<BTreeSet<_>>(),
        "{commands:?}"
    );
    assert_eq!(commands.len(), expected.len(), "duplicates in {commands:?}");
}

#[test]
fn variants_are_the_five_originals_in_order() {
    let d = Daemon::start();
    let variants = d.ok("variants", Value::Null);
    let variants = variants.as_array().unwrap();
    let expected = [
        ("serenity", "🌙 Sérénité", "#1e3a8a"),
        ("power", "⚡ Puissance", "#1e40af"),
        ("mystery", "🔮 Mystère", "#312e81"),
        ("awakening", "✨ Éveil/Sagesse", "#0f766e"),
        ("creative", "🎇 Énergie créative", "#1e40af"),
    ];
    assert_eq!(variants.len(), expected.len(), "{variants:?}");
    for (v, (key, name, primary)) in variants.iter().zip(expected) {
        assert_eq!(v["variant_type"], key, "{v}");
        assert_eq!(v["name"], name, "{v}");
        assert_eq!(v["colors"]["primary"], primary, "{v}");
        for colour in ["primary", "secondary", "accent", "glow"] {
            let c = v["colors"][colour].as_str().unwrap();
            assert!(
                c.len() == 7 && c.starts_with('#') && c[1..].bytes().all(|b| b.is_ascii_hexdigit()),
                "{colour} of {key}: {c}"
            );
        }
        assert!(!v["description"].as_str().unwrap().is_empty());
        assert!(v["animation_speed"].as_f64().unwrap() > 0.0);
        let glow = v["glow_intensity"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&glow), "{v}");
    }
    assert_eq!(variants[1]["colors"]["secondary"], "#7c3aed");
}

#[test]
fn styles_list_eight_keys_with_aliases() {
    let d = Daemon::start();
    let styles = d.ok("styles", Value::Null);
    let styles = styles.as_array().unwrap();
    let keys: Vec<&str> = styles.iter().map(|s| s["key"].as_str().unwrap()).collect();
    assert_eq!(keys, support::STYLES);
    let aliases: BTreeMap<&str, Vec<&str>> = styles
        .iter()
        .map(|s| {
            let list = s["aliases"].as_array().unwrap();
            (
                s["key"].as_str().unwrap(),
                list.iter().map(|a| a.as_str().unwrap()).collect(),
            )
        })
        .collect();
    assert_eq!(aliases["advanced"], ["default"]);
    assert_eq!(aliases["realism"], ["realism_max"]);
    assert_eq!(aliases.values().map(Vec::len).sum::<usize>(), 2);
    for s in styles {
        assert!(!s["name"].as_str().unwrap().is_empty(), "{s}");
        assert!(!s["description"].as_str().unwrap().is_empty(), "{s}");
        assert!(s["seeded"].is_boolean(), "{s}");
    }
}

#[test]
fn generate_svg_inline() {
    let d = Daemon::start();
    let r = generate(&d, json!({"variant": "serenity", "size": 64}));
    assert_eq!(r["format"], "svg");
    assert_eq!(r["encoding"], "utf8");
    assert_eq!(r["style"], "simple", "default style");
    assert_eq!(r["variant"], "serenity");
    assert_eq!(r["size"], 64);
    assert_eq!(r["animated"], true);
    assert_eq!(r["seed"], 42, "default seed");
    assert_eq!(r["cached"], false);
    assert!(r.get("file").is_none(), "{r}");
    let digest = r["digest"].as_str().unwrap();
    assert!(
        digest.len() == 16 && digest.bytes().all(|b| b.is_ascii_hexdigit()),
        "{digest}"
    );
    assert!(r["generation_time"].as_f64().unwrap() >= 0.0);
    let data = r["data"].as_str().unwrap();
    assert_eq!(r["bytes"], data.len());
    let doc = roxmltree::Document::parse(data).expect("the SVG is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("width"), Some("64"));
    assert_eq!(root.attribute("height"), Some("64"));
    assert!(data.contains("<animate"), "animated by default");
    // The default size is 200.
    let r = generate(&d, json!({"variant": "serenity"}));
    assert_eq!(r["size"], 200);
    let doc = roxmltree::Document::parse(r["data"].as_str().unwrap()).unwrap();
    assert_eq!(doc.root_element().attribute("width"), Some("200"));
}

#[test]
fn generate_options_shape_the_svg() {
    let d = Daemon::start();
    let r = generate(
        &d,
        json!({"variant": "power", "size": 64, "animated": false, "id_prefix": "zz",
               "title": "a<b&c", "palette": ["#111", "#222222", "333", "#444"]}),
    );
    assert_eq!(r["animated"], false);
    let data = r["data"].as_str().unwrap();
    let doc = roxmltree::Document::parse(data).unwrap();
    assert!(!data.contains("<animate"), "animated:false still animates");
    let ids: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("id"))
        .collect();
    assert!(!ids.is_empty());
    assert!(ids.iter().all(|id| id.starts_with("zz")), "{ids:?}");
    let title = doc
        .descendants()
        .find(|n| n.has_tag_name("title"))
        .expect("a <title>");
    assert_eq!(title.text(), Some("a<b&c"));
    assert!(
        data.contains("#111111") && data.contains("#444444"),
        "palette not applied"
    );
    assert!(
        !data.contains("#1e40af"),
        "the variant's own colour remains"
    );

    // The same inputs give the same bytes; another seed of a seeded style gives others.
    let a = generate(
        &d,
        json!({"variant": "power", "style": "ultimate", "size": 64, "seed": 1}),
    );
    let b = generate(
        &d,
        json!({"variant": "power", "style": "ultimate", "size": 64, "seed": 2}),
    );
    assert_ne!(a["digest"], b["digest"]);
    assert_ne!(a["data"], b["data"]);
}

#[test]
fn generate_png_inline() {
    let d = Daemon::start();
    let r = generate(&d, json!({"variant": "power", "size": 96, "format": "png"}));
    assert_eq!(r["format"], "png");
    assert_eq!(r["encoding"], "base64");
    let bytes = decode_data(&r);
    assert_eq!(r["bytes"], bytes.len());
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(&bytes[12..16], b"IHDR");
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    assert_eq!((width, height), (96, 96));
    let decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
    let mut reader = decoder.read_info().expect("a decodable PNG");
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).expect("PNG pixels decode");
    assert_eq!((frame.width, frame.height), (96, 96));
    assert!(pixels.iter().any(|&p| p != 0), "an empty image");
}

#[test]
fn generate_ico_holds_three_sizes() {
    let d = Daemon::start();
    let r = generate(
        &d,
        json!({"variant": "mystery", "size": 512, "format": "ico"}),
    );
    assert_eq!(r["format"], "ico");
    assert_eq!(r["encoding"], "base64");
    let bytes = decode_data(&r);
    assert_eq!(&bytes[..4], &[0, 0, 1, 0], "ICO header");
    assert_eq!(u16::from_le_bytes([bytes[4], bytes[5]]), 3, "image count");
    let widths: Vec<u8> = (0..3).map(|i| bytes[6 + 16 * i]).collect();
    let mut sorted = widths.clone();
    sorted.sort();
    assert_eq!(sorted, [16, 32, 48], "{widths:?}");
}

#[test]
fn identical_requests_are_cached() {
    let d = Daemon::start();
    let args = json!({"variant": "awakening", "style": "ultimate", "size": 128, "seed": 9});
    let first = generate(&d, args.clone());
    assert_eq!(first["cached"], false);
    let second = generate(&d, args.clone());
    assert_eq!(second["cached"], true);
    assert_eq!(second["generation_time"], 0.0);
    assert_eq!(second["digest"], first["digest"]);
    assert_eq!(second["data"], first["data"]);
    // A different format is a different output.
    let png = generate(
        &d,
        json!({"variant": "awakening", "style": "ultimate", "size": 128,
                                  "seed": 9, "format": "png"}),
    );
    assert_eq!(png["cached"], false);
    let png_again = generate(
        &d,
        json!({"variant": "awakening", "style": "ultimate", "size": 128,
                                        "seed": 9, "format": "png"}),
    );
    assert_eq!(png_again["cached"], true);
    assert_eq!(png_again["data"], png["data"]);
}

#[test]
fn style_aliases_resolve_to_canonical_keys() {
    let d = Daemon::start();
    for (alias, key) in [("default", "advanced"), ("realism_max", "realism")] {
        let via_alias = generate(
            &d,
            json!({"variant": "creative", "style": alias, "size": 64}),
        );
        assert_eq!(via_alias["style"], key);
        let direct = generate(&d, json!({"variant": "creative", "style": key, "size": 64}));
        assert_eq!(direct["digest"], via_alias["digest"]);
        let stored = generate(
            &d,
            json!({"variant": "creative", "style": alias, "size": 64, "store": true}),
        );
        let name = stored["file"].as_str().unwrap();
        assert!(
            name.starts_with(&format!("arkalia-luna-creative-64-{key}-")),
            "{name}"
        );
    }
    let s = d.stats();
    assert_eq!(s["styles_used"], json!({"advanced": 3, "realism": 3}));
}

#[test]
fn pipelined_requests_are_all_answered() {
    let d = Daemon::start();
    let mut c = d.connect();
    let mut batch = String::new();
    let mut expected = BTreeMap::new();
    for i in 0..30u64 {
        let request = match i % 5 {
            0 => json!({"id": i, "cmd": "generate",
                        "args": {"variant": "power", "size": 32 + i, "format": "png", "seed": i}}),
            1 => json!({"id": i, "cmd": "generate",
                        "args": {"variant": "serenity", "style": "ultimate", "size": 64, "seed": i}}),
            2 => json!({"id": i, "cmd": "ping"}),
            3 => json!({"id": i, "cmd": "stats"}),
            _ => json!({"id": i, "cmd": "generate", "args": {"variant": "nope"}}),
        };
        batch.push_str(&request.to_string());
        batch.push('\n');
        expected.insert(i, request);
    }
    c.send_bytes(batch.as_bytes()); // all at once, in one write
    let mut seen = BTreeSet::new();
    for _ in 0..expected.len() {
        let reply = c.read_json();
        support::check_line_shape(&reply);
        let id = reply["id"].as_u64().expect("numeric id echoed");
        assert!(seen.insert(id), "id {id} answered twice");
        let request = &expected[&id];
        match request["cmd"].as_str().unwrap() {
            "generate" if request["args"]["variant"] == "nope" => {
                assert_eq!(reply["error"]["code"], "invalid_argument")
            }
            "generate" => {
                assert_eq!(reply["ok"], true, "{}", support::short(&reply));
                assert_eq!(reply["result"]["seed"], request["args"]["seed"]);
                assert_eq!(reply["result"]["variant"], request["args"]["variant"]);
            }
            "ping" => assert_eq!(reply["result"], json!({"pong": true})),
            _ => assert!(reply["result"]["total_generated"].is_u64()),
        }
    }
    assert_eq!(seen.len(), 30);
    assert_eq!(d.stats()["total_generated"], 12);
}

#[test]
fn ids_are_echoed_as_sent() {
    let d = Daemon::start();
    let mut c = d.connect();
    c.send_line(r#"{"id":"req-α","cmd":"ping"}"#);
    assert_eq!(
        c.read_json(),
        json!({"id": "req-α", "ok": true, "result": {"pong": true}})
    );
    c.send_line(r#"{"cmd":"ping"}"#);
    assert_eq!(
        c.read_json(),
        json!({"id": null, "ok": true, "result": {"pong": true}})
    );
    c.send_line(r#"{"id":-12,"cmd":"ping"}"#);
    assert_eq!(c.read_json()["id"], -12);
    c.send_line(r#"{"id":"x","cmd":"fly"}"#);
    let reply = c.read_json();
    assert_eq!(reply["id"], "x", "errors echo the id too");
    assert_eq!(reply["error"]["code"], "unknown_command");
    // \r\n is accepted.
    c.send_bytes(b"{\"id\":\"crlf\",\"cmd\":\"ping\"}\r\n");
    assert_eq!(c.read_json()["id"], "crlf");
}

#[test]
fn closing_the_write_side_still_gets_every_pending_reply() {
    let d = Daemon::start();
    let mut c = d.connect();
    let mut batch = String::new();
    for id in 0..4u64 {
        let request = json!({"id": id, "cmd": "generate",
            "args": {"variant": "awakening", "style": "realism", "size": 512, "format": "png",
                     "seed": id}});
        batch.push_str(&format!("{request}\n"));
    }
    c.send_bytes(batch.as_bytes());
    c.stream().shutdown(std::net::Shutdown::Write).unwrap();
    let mut ids = BTreeSet::new();
    while let Some(line) = c.try_read_json() {
        assert!(
            line.get("event").is_none(),
            "no bye after a client's own close: {}",
            support::short(&line)
        );
        assert_eq!(line["ok"], true, "{}", support::short(&line));
        ids.insert(line["id"].as_u64().unwrap());
    }
    assert_eq!(ids, (0..4).collect());
}

#[test]
fn ico_ignores_size_and_titles_up_to_200_chars_are_accepted() {
    let d = Daemon::start();
    let small = generate(&d, json!({"variant": "power", "size": 16, "format": "ico"}));
    let large = generate(
        &d,
        json!({"variant": "power", "size": 2048, "format": "ico"}),
    );
    assert_eq!(
        decode_data(&small),
        decode_data(&large),
        "an ICO depends on size"
    );
    let title = "é".repeat(200);
    let r = generate(&d, json!({"variant": "power", "size": 64, "title": title}));
    let doc = roxmltree::Document::parse(r["data"].as_str().unwrap()).unwrap();
    let shown = doc.descendants().find(|n| n.has_tag_name("title")).unwrap();
    assert_eq!(shown.text(), Some(title.as_str()));
}
