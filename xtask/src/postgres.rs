//! A throwaway PostgreSQL server from Debian's packages for the tests, the
//! crash test, the bench and `demo --postgres`: initialised in `target/`,
//! listening on loopback only (and a Unix socket in its own folder), with
//! trust authentication for the `postgres` user, and stopped when dropped,
//! whatever happened in between. PostgreSQL refuses to run as root, so as
//! root it runs as the `postgres` user the Debian package makes.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{output, run, Result};

/// How much the server's own durability matters to this use.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// The default: every commit flushed to disk (the bench, the crash
    /// test, the demo).
    Full,
    /// Commits reach the operating system, not the disk: a killed server
    /// loses nothing, a power cut could. Enough for tests, which make
    /// dozens of databases.
    Process,
}

pub struct Postgres {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    user: Option<&'static str>,
}

/// The newest PostgreSQL installed from Debian's packages, if any.
pub fn binaries() -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

fn free_port() -> Result<u16> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port for PostgreSQL: {e}"))
}

impl Postgres {
    /// Initialises a new cluster in `target/postgres/<name>` (removing an
    /// old one) and starts it.
    pub fn start(root: &Path, name: &str, durability: Durability) -> Result<Postgres> {
        let bin = binaries().ok_or(
            "PostgreSQL is not installed: run `cargo xtask setup` (it installs Debian's postgresql)",
        )?;
        let user = (output("id", &["-u"]).as_deref() == Some("0")).then_some("postgres");
        let dir = root.join("target/postgres").join(name);
        if dir.join("data/postmaster.pid").exists() {
            // A run that was killed left it running: stop it first.
            let _ = Command::new(bin.join("pg_ctl"))
                .args([
                    "-D",
                    &dir.join("data").to_string_lossy(),
                    "-m",
                    "immediate",
                    "stop",
                ])
                .output();
        }
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let port = free_port()?;
        let server = Postgres {
            bin,
            dir,
            port,
            user,
        };
        if let Some(user) = user {
            run(Command::new("chown").args([user, &server.dir.to_string_lossy()]))?;
        }
        run(server
            .as_owner("initdb")
            .args(["-D", &server.data(), "-U", "postgres", "-A", "trust"])
            .args(["-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]))?;
        let mut options = format!(
            "-c listen_addresses=127.0.0.1 -p {port} -k {} -c max_connections=200",
            server.dir.display()
        );
        if durability == Durability::Process {
            options.push_str(" -c fsync=off -c full_page_writes=off");
        }
        run(server.as_owner("pg_ctl").args([
            "-D",
            &server.data(),
            "-l",
            &server.dir.join("server.log").to_string_lossy(),
            "-o",
            &options,
            "-w",
            "start",
        ]))?;
        let restart = server.dir.join("restart");
        let script = format!(
            "#!/bin/sh\n# Restarts the server at once, as after a crash (no checkpoint).\nexec {} -D {} -m immediate -w restart >/dev/null\n",
            server.owner_prefix("pg_ctl"),
            server.data()
        );
        std::fs::write(&restart, script)
            .and_then(|()| {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&restart, std::fs::Permissions::from_mode(0o755))
            })
            .map_err(|e| format!("{}: {e}", restart.display()))?;
        println!(
            "postgres: a throwaway server on 127.0.0.1:{port} ({})",
            server.dir.display()
        );
        Ok(server)
    }

    fn data(&self) -> String {
        self.dir.join("data").to_string_lossy().into_owned()
    }

    fn owner_prefix(&self, program: &str) -> String {
        let program = self.bin.join(program).to_string_lossy().into_owned();
        match self.user {
            Some(user) => format!("runuser -u {user} -- {program}"),
            None => program,
        }
    }

    fn as_owner(&self, program: &str) -> Command {
        let program = self.bin.join(program);
        match self.user {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(program);
                c
            }
            None => Command::new(program),
        }
    }

    /// The server's URL without a database.
    pub fn server_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}", self.port)
    }

    /// Makes a database and gives its URL.
    pub fn database(&self, name: &str) -> Result<String> {
        run(Command::new(self.bin.join("createdb")).args([
            "-h",
            "127.0.0.1",
            "-p",
            &self.port.to_string(),
            "-U",
            "postgres",
            name,
        ]))?;
        Ok(format!("{}/{name}", self.server_url()))
    }

    /// A script that restarts the server as after a crash.
    pub fn restart_script(&self) -> PathBuf {
        self.dir.join("restart")
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let stopped = self
            .as_owner("pg_ctl")
            .args(["-D", &self.data(), "-m", "fast", "-w", "stop"])
            .output();
        match stopped {
            Ok(out) if out.status.success() => println!("postgres: stopped"),
            _ => eprintln!(
                "postgres: could not stop the server in {}; stop it with pg_ctl -D {} stop",
                self.dir.display(),
                self.data()
            ),
        }
    }
}
