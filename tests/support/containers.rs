//! Real podman for the container tests (Debian's podman with runc; see
//! `../shared/design/containers.md` in the workspace, summarised in docs/DECISIONS.md). Nothing
//! can be pulled on these machines, so base images are made once per machine from Debian's
//! packages with debootstrap, under a file lock, and shared by every test that needs them.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Where the shared fixtures live: the podman config and the lock. Kept between runs of the
/// suite on one machine, so a second `cargo test` reuses the base images.
const FIXTURES: &str = "/var/tmp/luna-containers";
/// The Dockerfile's base (`FROM debian:bookworm-slim`), made with debootstrap minbase.
pub const BASE_IMAGE: &str = "docker.io/library/debian:bookworm-slim";
/// Debian with systemd as init, for the systemd units.
pub const SYSTEMD_IMAGE: &str = "localhost/luna-test/systemd:bookworm";
/// [`SYSTEMD_IMAGE`] plus libpam-systemd, so that a user manager (`user@UID.service`) can run.
pub const SYSTEMD_USER_IMAGE: &str = "localhost/luna-test/systemd-user:bookworm";

pub struct Podman {
    conf: PathBuf,
}

/// podman, configured for these machines; panics with the missing package's name otherwise.
pub fn podman() -> Podman {
    for (tool, package) in [
        ("/usr/bin/podman", "podman"),
        ("/usr/sbin/runc", "runc"),
        ("/usr/sbin/debootstrap", "debootstrap"),
        ("/usr/lib/podman/netavark", "netavark"),
        ("/usr/lib/podman/aardvark-dns", "aardvark-dns"),
    ] {
        assert!(
            Path::new(tool).exists(),
            "{tool} is missing: run .ci/install-deps (Debian package {package})"
        );
    }
    std::fs::create_dir_all(FIXTURES).unwrap();
    let conf = Path::new(FIXTURES).join("containers.conf");
    // Without these, every container start fails here: podman's default ulimits cannot be set,
    // and crun refuses this host's hybrid cgroups. netavark, because the CNI backend that
    // Debian's podman falls back to without it has no DNS between containers, which compose's
    // service names need.
    let text = "[containers]\ndefault_ulimits = []\n[engine]\ncgroup_manager = \"cgroupfs\"\nruntime = \"runc\"\n[network]\nnetwork_backend = \"netavark\"\n";
    if std::fs::read_to_string(&conf).ok().as_deref() != Some(text) {
        let temp = conf.with_extension("tmp");
        std::fs::write(&temp, text).unwrap();
        std::fs::rename(&temp, &conf).unwrap();
    }
    Podman { conf }
}

impl Podman {
    /// `podman ARGS…` with this machine's configuration.
    /// The configuration file every podman call here needs (`CONTAINERS_CONF`).
    pub fn conf(&self) -> &Path {
        &self.conf
    }

    pub fn cmd(&self) -> Command {
        let mut command = Command::new("podman");
        command
            .env("CONTAINERS_CONF", &self.conf)
            .args(["--runtime", "runc"])
            .stdin(Stdio::null());
        command
    }

    /// Runs `podman ARGS…`; panics with its output unless it succeeds. Returns stdout, trimmed.
    pub fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(
            output.status.success(),
            "podman {}: {}\n{}",
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("podman runs")
    }

    pub fn image_exists(&self, name: &str) -> bool {
        self.run(&["image", "exists", name]).status.success()
    }

    /// The Dockerfile's base image, made once per machine.
    pub fn base_image(&self) -> &'static str {
        self.once(BASE_IMAGE, &[]);
        BASE_IMAGE
    }

    /// Debian with systemd, dbus and systemd-sysv, made once per machine.
    pub fn systemd_image(&self) -> &'static str {
        self.once(SYSTEMD_IMAGE, &["systemd", "systemd-sysv", "dbus"]);
        SYSTEMD_IMAGE
    }

    /// [`SYSTEMD_USER_IMAGE`], made once per machine from [`Podman::systemd_image`] with apt.
    /// Without pam_systemd, `systemd --user` gets no `XDG_RUNTIME_DIR` and exits at once; a
    /// Debian server has it (systemd recommends it), the minbase image does not.
    pub fn systemd_user_image(&self) -> &'static str {
        let base = self.systemd_image();
        let lock = File::create(Path::new(FIXTURES).join("images.lock")).unwrap();
        lock.lock().unwrap();
        if self.image_exists(SYSTEMD_USER_IMAGE) {
            return SYSTEMD_USER_IMAGE;
        }
        let builder = Container {
            podman: self,
            name: format!("luna-sd-image-{}", std::process::id()),
        };
        let script = "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
                      --no-install-recommends libpam-systemd && rm -rf /var/lib/apt/lists/*";
        self.ok(&["run", "--name", &builder.name, base, "bash", "-c", script]);
        let cmd = r#"CMD ["/sbin/init"]"#;
        self.ok(&[
            "commit",
            "-q",
            "--change",
            cmd,
            &builder.name,
            SYSTEMD_USER_IMAGE,
        ]);
        SYSTEMD_USER_IMAGE
    }

    /// Makes `image` from `debootstrap --variant=minbase bookworm` plus `include`, unless it
    /// exists. Test binaries run in parallel: the lock makes the others wait for the first.
    fn once(&self, image: &str, include: &[&str]) {
        let lock = File::create(Path::new(FIXTURES).join("images.lock")).unwrap();
        lock.lock().unwrap();
        if self.image_exists(image) {
            return;
        }
        let rootfs = scratch("rootfs-");
        let mut debootstrap = Command::new("debootstrap");
        debootstrap.arg("--variant=minbase");
        if !include.is_empty() {
            debootstrap.arg(format!("--include={}", include.join(",")));
        }
        let output = debootstrap
            .args(["bookworm"])
            .arg(rootfs.path())
            .arg("http://deb.debian.org/debian")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "debootstrap: {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        // apt's package lists and caches are not needed at run time.
        for dir in ["var/cache/apt/archives", "var/lib/apt/lists"] {
            let _ = std::fs::remove_dir_all(rootfs.path().join(dir));
        }
        let mut tar = Command::new("tar")
            .arg("-C")
            .arg(rootfs.path())
            .args(["-c", "."])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let imported = self
            .cmd()
            .args(["import", "-", image])
            .stdin(tar.stdout.take().unwrap())
            .output()
            .unwrap();
        assert!(tar.wait().unwrap().success(), "tar of the rootfs failed");
        assert!(
            imported.status.success(),
            "podman import: {}",
            String::from_utf8_lossy(&imported.stderr)
        );
    }
}

/// The luna image as compose names it (`luna:latest`), built from `deploy/Dockerfile` unchanged
/// but for its `BINARIES` argument: the builder stage needs a Rust image these machines cannot
/// pull, so the binaries this test run built go in (stripped) instead. Rebuilt by every caller
/// (a few seconds: the base layers are cached), under the lock, so the image always holds the
/// binaries under test.
pub const LUNA_IMAGE: &str = "localhost/luna:latest";

impl Podman {
    pub fn luna_image(&self) -> &'static str {
        self.base_image();
        let lock = File::create(Path::new(FIXTURES).join("luna-image.lock")).unwrap();
        lock.lock().unwrap();
        let context = scratch("binaries-");
        for (name, path) in [
            ("lunad", env!("CARGO_BIN_EXE_lunad")),
            ("luna", env!("CARGO_BIN_EXE_luna")),
        ] {
            let to = context.path().join(name);
            std::fs::copy(path, &to).unwrap();
            // Debug builds carry ~250 MB of symbols; the image needs none.
            let _ = Command::new("strip").arg(&to).status();
        }
        std::fs::write(
            context.path().join("Containerfile"),
            "FROM scratch\nCOPY lunad luna /out/\n",
        )
        .unwrap();
        let binaries = "localhost/luna-test/binaries:latest";
        let context_dir = context.path().to_str().unwrap();
        self.ok(&["build", "--pull=never", "-q", "-t", binaries, context_dir]);
        let root = env!("CARGO_MANIFEST_DIR");
        // `--format docker`: the OCI format drops HEALTHCHECK.
        self.ok(&[
            "build",
            "--pull=never",
            "--format",
            "docker",
            "-q",
            "--build-arg",
            &format!("BINARIES={binaries}"),
            "-t",
            LUNA_IMAGE,
            "-f",
            &format!("{root}/deploy/Dockerfile"),
            root,
        ]);
        LUNA_IMAGE
    }
}

/// Stand-ins for the stack's other images, which cannot be pulled here: the same programs from
/// Debian's packages on the base image, laid out as the official images are where the compose
/// file relies on it (entrypoint, user, data directory), tagged with the names compose uses.
/// Their configuration files are the real ones, mounted by compose.
pub const STAND_INS: &[(&str, &str)] = &[
    (
        "docker.io/library/nginx:1.27-alpine",
        "RUN apt-get update && apt-get install -y --no-install-recommends nginx wget \\
 && rm -rf /var/lib/apt/lists/* \\
 && install -d /var/cache/nginx && rm -f /etc/nginx/sites-enabled/default
STOPSIGNAL SIGQUIT
CMD [\"nginx\", \"-g\", \"daemon off;\"]
",
    ),
    (
        "docker.io/library/redis:7.4-alpine",
        "RUN apt-get update && apt-get install -y --no-install-recommends redis-server \\
 && rm -rf /var/lib/apt/lists/* \\
 && install -d -o redis -g redis /data
WORKDIR /data
VOLUME /data
CMD [\"redis-server\"]
",
    ),
    (
        "docker.io/prom/prometheus:v2.55.1",
        "RUN apt-get update && apt-get install -y --no-install-recommends prometheus wget \\
 && rm -rf /var/lib/apt/lists/* \\
 && install -d -o nobody -g nogroup /prometheus
USER nobody
WORKDIR /prometheus
VOLUME /prometheus
ENTRYPOINT [\"/usr/bin/prometheus\"]
",
    ),
];

impl Podman {
    /// Builds every stand-in that does not exist yet (once per machine, under the lock).
    pub fn stand_ins(&self) {
        let base = self.base_image();
        let lock = File::create(Path::new(FIXTURES).join("images.lock")).unwrap();
        lock.lock().unwrap();
        for (image, body) in STAND_INS {
            if self.image_exists(image) {
                continue;
            }
            let context = scratch("stand-in-");
            std::fs::write(
                context.path().join("Containerfile"),
                format!("FROM {base}\n{body}"),
            )
            .unwrap();
            let dir = context.path().to_str().unwrap();
            self.ok(&[
                "build",
                "--pull=never",
                "--format",
                "docker",
                "-q",
                "-t",
                image,
                dir,
            ]);
        }
    }
}

/// podman-compose 1.6.0 from PyPI: Debian's 1.0.3 lacks most of the compose spec (and `config`).
pub fn podman_compose() -> PathBuf {
    super::python::pypi_tool("podman-compose", "1.6.0", "podman-compose")
}

/// A scratch directory beside the fixtures (same file system as podman's storage), removed on drop.
fn scratch(prefix: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(prefix)
        .tempdir_in(FIXTURES)
        .unwrap()
}

/// A container removed (with its anonymous volumes) when dropped, even after a failed assertion.
pub struct Container<'a> {
    pub podman: &'a Podman,
    pub name: String,
}

impl Drop for Container<'_> {
    fn drop(&mut self) {
        let _ = self.podman.run(&["rm", "-f", "-v", "-t", "0", &self.name]);
    }
}
