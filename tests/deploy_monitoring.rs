//! Monitoring: promtool on the Prometheus config, alert rules and rule unit tests; the Grafana
//! dashboard and provisioning; the PromQL metric-name check they share.
//! The containers themselves run in tests/container_*.rs (podman); these checks need no
//! container engine. Needs Debian's nginx, prometheus (for promtool) and python3-yaml (to read YAML): a
//! missing tool fails the test with "run .ci/install-deps" rather than skipping anything.

mod deploy;

use deploy::*;
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashMap};
use std::process::Command;

#[test]
fn the_metric_name_extractor_understands_promql() {
    assert_eq!(
        metric_names(
            r#"histogram_quantile(0.95, sum by (le, route) (rate(arkalia_luna_request_duration_seconds_bucket{route!~"/metrics|x{1}"}[5m])))"#
        ),
        ["arkalia_luna_request_duration_seconds_bucket"]
    );
    assert_eq!(
        metric_names("sum(rate(a_total[$__rate_interval])) * 60 / on() group_left b > bool 1e3"),
        ["a_total", "b"]
    );
    assert_eq!(metric_names("absent(up{job=\"lunad\"})"), ["up"]);
    assert!(!known_metric("arkalia_luna_requests_total_bucket"));
    assert!(!known_metric("arkalia_luna_generation_duration_seconds"));
    assert!(known_metric(
        "arkalia_luna_generation_duration_seconds_count"
    ));
}

// ---------------------------------------------------------------------------------------------
// Prometheus

#[test]
fn promtool_accepts_the_prometheus_config_and_the_alert_rules() {
    let promtool = promtool_bin();
    let out = run_ok(Command::new(&promtool).current_dir(root()).args([
        "check",
        "config",
        "monitoring/prometheus.yml",
    ]));
    assert!(out.contains("1 rule files found"), "{out}");
    run_ok(Command::new(&promtool).current_dir(root()).args([
        "check",
        "rules",
        "monitoring/alerts.yml",
    ]));

    let config = yaml("monitoring/prometheus.yml");
    assert_eq!(config["global"]["scrape_interval"], "15s");
    assert_eq!(config["rule_files"], json!(["alerts.yml"]));
    let jobs = config["scrape_configs"].as_array().unwrap();
    let lunad = jobs
        .iter()
        .find(|j| j["job_name"] == "lunad")
        .expect("job lunad");
    assert_eq!(lunad["scrape_interval"], "5s");
    assert_eq!(lunad["metrics_path"], "/metrics");
    let sd = &lunad["dns_sd_configs"][0];
    assert_eq!(
        (&sd["names"], &sd["port"]),
        (&json!(["lunad"]), &json!(8000))
    );
    assert!(jobs.iter().any(|j| j["job_name"] == "prometheus"));

    for rule in alert_rules() {
        assert_known_metrics(
            rule["alert"].as_str().unwrap(),
            rule["expr"].as_str().unwrap(),
        );
    }
}

fn alert_rules() -> Vec<Value> {
    let rules = yaml("monitoring/alerts.yml");
    rules["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["rules"].as_array().unwrap().clone())
        .collect()
}

/// `promtool test rules` on synthetic series: each alert fires on the trouble it is meant for
/// and stays quiet on healthy traffic. The annotations are stripped from a copy of the rules, so
/// rewording them needs no change here.
#[test]
fn the_alerts_fire_on_trouble_and_not_on_healthy_traffic() {
    let dir = tempfile::tempdir().unwrap();
    let mut rules = yaml("monitoring/alerts.yml");
    for group in rules["groups"].as_array_mut().unwrap() {
        for rule in group["rules"].as_array_mut().unwrap() {
            rule.as_object_mut().unwrap().remove("annotations");
        }
    }
    let names: BTreeSet<String> = alert_rules()
        .iter()
        .map(|r| r["alert"].as_str().unwrap().to_owned())
        .collect();
    for expected in [
        "LunadDown",
        "LunadAbsent",
        "LunadUnhealthy",
        "LunadHighErrorRate",
        "LunadSlowRoute",
        "LunadRateLimiting",
        "LunadStoreDegraded",
        "LunadStoreBufferDropping",
    ] {
        assert!(names.contains(expected), "alerts.yml lacks {expected}");
    }
    std::fs::write(dir.path().join("rules.json"), rules.to_string()).unwrap();

    let inst = "10.0.0.2:8000";
    let bucket = |route: &str, le: &str, values: &str| {
        json!({"series": format!(
            "arkalia_luna_request_duration_seconds_bucket{{job=\"lunad\",instance=\"{inst}\",route=\"{route}\",method=\"GET\",le=\"{le}\"}}"),
            "values": values})
    };
    let store_series =
        |metric: &str, instance: &str| format!("{metric}{{job=\"lunad\",instance=\"{instance}\"}}");
    let mut latency = Vec::new();
    for le in ["0.005", "0.05", "0.25", "0.5", "1.0", "+Inf"] {
        // /health: everything under 5 ms. /generate: everything between 250 and 500 ms.
        latency.push(bucket("/health", le, "0+10x80"));
        let slow = if ["0.5", "1.0", "+Inf"].contains(&le) {
            "0+10x80"
        } else {
            "0x80"
        };
        latency.push(bucket("/generate", le, slow));
    }
    let tests = json!({
        "rule_files": ["rules.json"],
        "evaluation_interval": "15s",
        "tests": [
            {
                "interval": "15s",
                "input_series": [
                    {"series": format!("up{{job=\"lunad\",instance=\"{inst}\"}}"), "values": "1x3 0x20"},
                    {"series": format!("arkalia_luna_health_status{{job=\"lunad\",instance=\"{inst}\"}}"), "values": "1x3 0x20"},
                ],
                "alert_rule_test": [
                    {"eval_time": "30s", "alertname": "LunadDown", "exp_alerts": []},
                    {"eval_time": "30s", "alertname": "LunadUnhealthy", "exp_alerts": []},
                    {"eval_time": "3m", "alertname": "LunadDown", "exp_alerts": [
                        {"exp_labels": {"severity": "critical", "job": "lunad", "instance": inst}}]},
                    {"eval_time": "3m", "alertname": "LunadUnhealthy", "exp_alerts": [
                        {"exp_labels": {"severity": "critical", "job": "lunad", "instance": inst}}]},
                    {"eval_time": "3m", "alertname": "LunadAbsent", "exp_alerts": []},
                ],
            },
            {
                "interval": "15s",
                "input_series": [
                    {"series": "arkalia_luna_uptime_seconds", "values": "0+15x20"},
                ],
                "alert_rule_test": [
                    {"eval_time": "4m", "alertname": "LunadAbsent", "exp_alerts": [
                        {"exp_labels": {"severity": "critical", "job": "lunad"}}]},
                ],
            },
            {
                // 2 errors for every 10 successes: a 17 % error rate.
                "interval": "15s",
                "input_series": [
                    {"series": "arkalia_luna_responses_total{route=\"/generate\",status_code=\"200\"}", "values": "0+10x80"},
                    {"series": "arkalia_luna_responses_total{route=\"/generate\",status_code=\"500\"}", "values": "0+2x80"},
                ],
                "alert_rule_test": [
                    {"eval_time": "3m", "alertname": "LunadHighErrorRate", "exp_alerts": []},
                    {"eval_time": "15m", "alertname": "LunadHighErrorRate", "exp_alerts": [
                        {"exp_labels": {"severity": "warning"}}]},
                ],
            },
            {
                // 1 error per 1000 responses: no alert.
                "interval": "15s",
                "input_series": [
                    {"series": "arkalia_luna_responses_total{route=\"/health\",status_code=\"200\"}", "values": "0+1000x80"},
                    {"series": "arkalia_luna_responses_total{route=\"/generate\",status_code=\"503\"}", "values": "0+1x80"},
                ],
                "alert_rule_test": [
                    {"eval_time": "15m", "alertname": "LunadHighErrorRate", "exp_alerts": []},
                ],
            },
            {
                "interval": "15s",
                "input_series": latency,
                "alert_rule_test": [
                    {"eval_time": "3m", "alertname": "LunadSlowRoute", "exp_alerts": []},
                    {"eval_time": "15m", "alertname": "LunadSlowRoute", "exp_alerts": [
                        {"exp_labels": {"severity": "warning", "route": "/generate"}}]},
                ],
            },
            {
                // /generate: 2 rejections a second for 20 minutes; /stats: one every 50 s.
                "interval": "15s",
                "input_series": [
                    {"series": "arkalia_luna_rate_limited_total{route=\"/generate\"}", "values": "0+30x80"},
                    {"series": "arkalia_luna_rate_limited_total{route=\"/stats\"}", "values": "0+0.3x80"},
                ],
                "alert_rule_test": [
                    {"eval_time": "8m", "alertname": "LunadRateLimiting", "exp_alerts": []},
                    {"eval_time": "18m", "alertname": "LunadRateLimiting", "exp_alerts": [
                        {"exp_labels": {"severity": "info", "route": "/generate"}}]},
                ],
            },
            {
                // Replica a loses Redis from 1 min to 4 min; b loses it for 30 s only; c never.
                "interval": "15s",
                "input_series": [
                    {"series": store_series("arkalia_luna_store_degraded", "a"), "values": "0x3 1x11 0x20"},
                    {"series": store_series("arkalia_luna_store_degraded", "b"), "values": "0x3 1x1 0x30"},
                    {"series": store_series("arkalia_luna_store_degraded", "c"), "values": "0x40"},
                ],
                "alert_rule_test": [
                    {"eval_time": "75s", "alertname": "LunadStoreDegraded", "exp_alerts": []},
                    {"eval_time": "3m", "alertname": "LunadStoreDegraded", "exp_alerts": [
                        {"exp_labels": {"severity": "warning", "job": "lunad", "instance": "a"}}]},
                    {"eval_time": "6m", "alertname": "LunadStoreDegraded", "exp_alerts": []},
                ],
            },
            {
                // Replica a drops 5 counts every 15 s from 5:15 to 6:15; b never drops any.
                "interval": "15s",
                "input_series": [
                    {"series": store_series("arkalia_luna_store_buffer_dropped_total", "a"), "values": "0x20 5+5x4 25x40"},
                    {"series": store_series("arkalia_luna_store_buffer_dropped_total", "b"), "values": "0x65"},
                ],
                "alert_rule_test": [
                    {"eval_time": "5m", "alertname": "LunadStoreBufferDropping", "exp_alerts": []},
                    {"eval_time": "6m", "alertname": "LunadStoreBufferDropping", "exp_alerts": [
                        {"exp_labels": {"severity": "critical", "job": "lunad", "instance": "a"}}]},
                    {"eval_time": "15m", "alertname": "LunadStoreBufferDropping", "exp_alerts": []},
                ],
            },
        ],
    });
    let file = dir.path().join("alerts_test.json");
    std::fs::write(&file, serde_json::to_string_pretty(&tests).unwrap()).unwrap();
    run_ok(
        Command::new(promtool_bin())
            .current_dir(dir.path())
            .args(["test", "rules"])
            .arg(&file),
    );
}

// Grafana

#[test]
fn the_grafana_dashboard_is_the_corrected_overview() {
    let text = read("monitoring/grafana/dashboards/luna-overview.json");
    assert!(
        !text.contains("timeSeries"),
        "Grafana's panel type is `timeseries`"
    );
    let dashboard: Value = serde_json::from_str(&text).expect("dashboard JSON");
    assert_eq!(dashboard["uid"], "arkalia-luna-overview");
    assert_eq!(dashboard["title"], "Arkalia-LUNA Overview");
    let panels = dashboard["panels"].as_array().unwrap();
    let mut ids = BTreeSet::new();
    let mut exprs_by_panel: HashMap<i64, Vec<String>> = HashMap::new();
    let mut cells = BTreeSet::new();
    for panel in panels {
        let id = panel["id"].as_i64().expect("numeric panel id");
        assert!(ids.insert(id), "panel id {id} used twice");
        let kind = panel["type"].as_str().unwrap();
        assert!(
            ["timeseries", "stat"].contains(&kind),
            "panel {id}: type {kind}"
        );
        assert_eq!(
            panel["datasource"]["uid"], "prometheus",
            "panel {id}: datasource by uid"
        );
        let targets = panel["targets"].as_array().unwrap();
        assert!(!targets.is_empty(), "panel {id} has no query");
        for target in targets {
            assert_eq!(
                target["datasource"]["uid"], "prometheus",
                "panel {id}: target datasource"
            );
            let expr = target["expr"].as_str().unwrap();
            assert_known_metrics(&format!("panel {id}"), expr);
            exprs_by_panel.entry(id).or_default().push(expr.to_owned());
        }
        let g = &panel["gridPos"];
        let (x, y, w, h) = (
            g["x"].as_i64().unwrap(),
            g["y"].as_i64().unwrap(),
            g["w"].as_i64().unwrap(),
            g["h"].as_i64().unwrap(),
        );
        assert!(x + w <= 24, "panel {id} is wider than the grid");
        for cx in x..x + w {
            for cy in y..y + h {
                assert!(
                    cells.insert((cx, cy)),
                    "panel {id} overlaps another at {cx},{cy}"
                );
            }
        }
    }
    let mut distinct: Vec<&Vec<String>> = exprs_by_panel.values().collect();
    distinct.sort();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        exprs_by_panel.len(),
        "two panels show the same queries"
    );

    let panel = |id: i64| &exprs_by_panel[&id];
    let uptime = panels.iter().find(|p| p["id"] == 1).unwrap();
    assert_eq!(uptime["type"], "stat");
    assert!(panel(1)[0].contains("arkalia_luna_uptime_seconds"));
    assert!(panel(2)[0].contains("arkalia_luna_requests_total"));
    assert!(panel(3)[0].contains("by (route)"));
    assert!(panel(4)[0].contains("by (variant, generator)"));
    for id in [12, 13] {
        assert!(
            panel(id)[0].contains("arkalia_luna_request_duration_seconds_bucket"),
            "panel {id}"
        );
    }
    assert!(panel(13)[0].contains("route"), "panel 13 is p95 by route");
    let all: String = exprs_by_panel
        .values()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join("\n");
    for metric in [
        "arkalia_luna_cache_hits_total",
        "arkalia_luna_rate_limited_total",
        "arkalia_luna_ipc_connections",
        "arkalia_luna_store_size_bytes",
        "by (format)",
        "arkalia_luna_store_degraded",
        "arkalia_luna_store_buffered_generations",
        "arkalia_luna_store_buffer_dropped_total",
        "arkalia_luna_rate_limit_local_total",
    ] {
        assert!(all.contains(metric), "no panel shows {metric}");
    }
}

#[test]
fn grafana_provisioning_points_at_prometheus_and_the_dashboards() {
    let datasources = yaml("monitoring/grafana/provisioning/datasources/prometheus.yaml");
    let ds = &datasources["datasources"][0];
    assert_eq!(ds["uid"], "prometheus");
    assert_eq!(ds["type"], "prometheus");
    assert_eq!(ds["url"], "http://prometheus:9090");
    assert_eq!(ds["isDefault"], true);

    let dashboards = yaml("monitoring/grafana/provisioning/dashboards/dashboards.yaml");
    let provider = &dashboards["providers"][0];
    assert_eq!(provider["type"], "file");
    let path = provider["options"]["path"].as_str().unwrap();
    // compose.yaml mounts monitoring/grafana/dashboards at that path.
    let compose = yaml("deploy/compose.yaml");
    let mounts: Vec<&str> = compose["services"]["grafana"]["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        mounts.contains(&format!("../monitoring/grafana/dashboards:{path}:ro").as_str()),
        "grafana does not mount the dashboards at {path}: {mounts:?}"
    );
}

// ---------------------------------------------------------------------------------------------
