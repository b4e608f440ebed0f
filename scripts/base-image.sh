#!/usr/bin/env bash
# Builds the base image the container image (module image/, Jib) is layered on, without a Docker
# daemon or an image registry: a Debian minbase root filesystem made with debootstrap, the same
# release as this machine, plus a Java runtime made with jlink from this machine's JDK 17, written
# as a docker-save tarball (manifest.json, a config JSON, one uncompressed tar per layer) that Jib
# reads as `tar://.../base.tar`.
#
#   scripts/base-image.sh             builds .venv/base-image/base.tar unless it is up to date (root)
#   scripts/base-image.sh --check     says whether it exists; exits 1 when it is missing and CI=true
#   scripts/base-image.sh --reproduce builds it again elsewhere and compares the layers' digests
#                                     with the existing one's; exits 1 when one differs (root)
#
# The mirror is the one this machine's apt uses (DEBIAN_MIRROR overrides it). The result is
# reused until this script, the JDK or the Debian release changes; image/pom.xml reads it there.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$TRAFFICCTL_ROOT"

out="$TRAFFICCTL_ROOT/.venv/base-image"
tarball="$out/base.tar"
existing=""

if [[ ${1:-} == --check ]]; then
  if [[ -s $tarball ]]; then
    log "base image: $tarball"
    exit 0
  fi
  echo "base image missing: $tarball; the container image (module image) is not built." \
    "Build the base with: sudo scripts/base-image.sh" >&2
  [[ ${CI:-} == true ]] && exit 1
  exit 0
fi
if [[ ${1:-} == --reproduce ]]; then
  [[ -s $tarball ]] || { echo "base-image: no $tarball to compare with; build it first" >&2; exit 2; }
  existing="$tarball"
  # A second build beside the first, sharing its downloaded packages.
  out="$(mktemp -d "$TRAFFICCTL_ROOT/.venv/base-image-again.XXXXXX")"
  tarball="$out/base.tar"
  cp -r "$TRAFFICCTL_ROOT/.venv/base-image/debs" "$out/" 2>/dev/null || true
fi

# Java modules of the runtime. `jdeps --print-module-deps --ignore-missing-deps --multi-release 17`
# over the worker's and the CLI's jars and libraries names java.base, java.compiler, java.desktop,
# java.naming, java.security.sasl, java.sql, jdk.httpserver, jdk.management and jdk.unsupported.
# java.se covers the java.* ones and keeps a new library's use of another SE module working;
# jdeps cannot see service providers, hence jdk.crypto.ec (TLS key exchange with Temporal Cloud)
# and jdk.naming.dns (gRPC's DNS TXT lookups). A fixed list: this script runs before the build.
modules=java.se,jdk.crypto.ec,jdk.httpserver,jdk.management,jdk.naming.dns,jdk.unsupported
java_home=/opt/java/openjdk

require_build_tools
jdk="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
[[ -f $jdk/jmods/java.base.jmod ]] || { echo "base-image: $jdk has no jmods/ for jlink" >&2; exit 2; }
# shellcheck source=/dev/null
codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
[[ -n $codename ]] || { echo "base-image: no VERSION_CODENAME in /etc/os-release (Debian only)" >&2; exit 2; }
arch="$(dpkg --print-architecture)"

stamp="$( (sha256sum "${BASH_SOURCE[0]}" | cut -d' ' -f1; cat "$jdk/release"; echo "$codename $arch") | sha256sum | cut -d' ' -f1)"
if [[ -s $tarball && -f $out/stamp && $(cat "$out/stamp") == "$stamp" ]]; then
  log "base image up to date: $tarball"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "base-image: debootstrap needs root; run: sudo scripts/base-image.sh" >&2
  exit 1
fi
apt_install debootstrap

# The first URI apt uses for "$codename" itself (not -updates or -security): deb822 first, then
# one-line sources.
apt_mirror() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    awk -v suite="$codename" '
      function emit() { if (uri != "" && hit && deb && !done) { print uri; done = 1 } }
      /^[ \t]*$/ { emit(); uri = ""; hit = 0; deb = 0; next }
      tolower($1) == "types:" { for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1 }
      tolower($1) == "uris:" { uri = $2 }
      tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i == suite) hit = 1 }
      END { emit() }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] || continue
    awk -v suite="$codename" '
      $1 == "deb" { sub(/^deb[ \t]+(\[[^]]*\][ \t]+)?/, ""); if ($2 == suite) print $1 }' "$f"
  done
}
mirror="${DEBIAN_MIRROR:-$(apt_mirror | awk 'NR == 1')}"
[[ -n $mirror ]] || { echo "base-image: no Debian mirror for $codename in apt's sources; set DEBIAN_MIRROR" >&2; exit 2; }

work="$out/work"
rootfs="$work/rootfs"
jre="$work/jre"
cds="$work/cds"
cleanup() {
  # debootstrap mounts /proc and /sys inside the target while it runs; never leave them behind.
  local m
  for m in proc sys dev/pts; do mountpoint -q "$rootfs/$m" 2>/dev/null && umount -l "$rootfs/$m"; done
  return 0
}
trap cleanup EXIT
cleanup
rm -rf "$work" "$tarball"
mkdir -p "$work" "$out/debs"

started=$SECONDS
log "debootstrap --variant=minbase $codename ($arch) from $mirror"
if ! debootstrap --variant=minbase --arch="$arch" --cache-dir="$out/debs" \
  "$codename" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1; then
  tail -n 30 "$work/debootstrap.log" >&2
  [[ -f $rootfs/debootstrap/debootstrap.log ]] && tail -n 30 "$rootfs/debootstrap/debootstrap.log" >&2
  echo "base-image: debootstrap failed; full log: $work/debootstrap.log" >&2
  exit 1
fi
cleanup

# What a runtime image does not use: documentation, apt's package lists and caches, logs, the
# device nodes (the container runtime provides /dev).
# ldconfig's aux-cache only speeds up the next ldconfig run, and differs from build to build.
rm -rf "${rootfs:?}"/usr/share/{doc,man,info,lintian,linda}/* "${rootfs:?}"/var/lib/apt/lists/* \
  "${rootfs:?}"/var/cache/apt/* "${rootfs:?}"/var/cache/debconf/*-old "${rootfs:?}"/var/log/* \
  "${rootfs:?}"/var/cache/ldconfig/aux-cache "${rootfs:?}"/debootstrap "${rootfs:?}"/dev/*
if [[ -d $rootfs/usr/share/locale ]]; then
  find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
fi

# The user the image runs as: uid and gid 10001 (numeric in the image config, so Kubernetes'
# runAsNonRoot can check it), home and working directory /var/lib/trafficctl.
grep -q '^trafficctl:' "$rootfs/etc/group" || echo 'trafficctl:x:10001:' >>"$rootfs/etc/group"
grep -q '^trafficctl:' "$rootfs/etc/passwd" \
  || echo 'trafficctl:x:10001:10001:trafficctl:/var/lib/trafficctl:/usr/sbin/nologin' >>"$rootfs/etc/passwd"
grep -q '^trafficctl:' "$rootfs/etc/shadow" || echo 'trafficctl:!:19000::::::' >>"$rootfs/etc/shadow"
install -d -m 0750 -o 10001 -g 10001 "$rootfs/var/lib/trafficctl"

log "jlink $modules"
jlink_opts=(--add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2)
mkdir -p "$jre$(dirname "$java_home")"
# JDK 17's jlink can write the default class-data archive, which shortens every JVM start.
if ! "$jdk/bin/jlink" "${jlink_opts[@]}" --generate-cds-archive --output "$jre$java_home" \
  >"$work/jlink.log" 2>&1; then
  rm -rf "$jre$java_home"
  "$jdk/bin/jlink" "${jlink_opts[@]}" --output "$jre$java_home"
fi
# The archive for heaps of 32 GB and more (no compressed oops): not a worker's size.
rm -f "$jre$java_home/lib/server/classes_nocoops.jsa"
# JDK 17 does not write the same class-data archive twice: it goes into a layer of its own, so
# that the runtime's layer, like the root filesystem's, is the same bytes on every build.
if [[ -f $jre$java_home/lib/server/classes.jsa ]]; then
  mkdir -p "$cds$java_home/lib/server"
  mv "$jre$java_home/lib/server/classes.jsa" "$cds$java_home/lib/server/"
fi
# Debian's JDK links its trust store to /etc/ssl/certs/java/cacerts, which the image lacks: copy
# the store itself into the runtime.
cacerts="$jre$java_home/lib/security/cacerts"
if [[ -L $cacerts || ! -s $cacerts ]]; then
  rm -f "$cacerts"
  cp "$(readlink -f "$jdk/lib/security/cacerts")" "$cacerts"
  chmod 0644 "$cacerts"
fi
"$jre$java_home/bin/java" -version 2>&1 | head -n 1 | sed 's/^/==> runtime: /' >&2

log "writing $tarball"
python3 - "$work" "$tarball.tmp" "$codename" "$arch" "$java_home" "$modules" <<'PY'
import hashlib, json, os, sys, tarfile

work, dest, codename, arch, java_home, modules = sys.argv[1:]
staging = os.path.join(work, "image")
os.makedirs(staging, exist_ok=True)

def layer(root, name):
    """
    One uncompressed layer tar of the tree under root, paths relative, sorted; its sha256. Every
    entry dated 0, as Jib dates its own layers' files, and with no owner names: the same tree
    gives the same bytes whenever it is built.
    """
    path = os.path.join(staging, name)
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            # os.walk lists a symlink to a directory (usr-merged /bin, /lib) among dirnames and
            # does not enter it: it is added as the link it is, like the files.
            links = [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]
            children = [os.path.join(dirpath, f) for f in sorted(filenames + links)]
            for entry in [dirpath] + children:
                rel = os.path.relpath(entry, root)
                if rel == ".":
                    continue
                info = tar.gettarinfo(entry, arcname=rel)
                info.uname = info.gname = ""
                info.mtime = 0
                if info.isreg():
                    with open(entry, "rb") as f:
                        tar.addfile(info, f)
                else:
                    tar.addfile(info)
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return name, "sha256:" + digest.hexdigest()

trees = [("rootfs", "debootstrap --variant=minbase " + codename),
         ("jre", "jlink --add-modules " + modules + " --output " + java_home),
         ("cds", "jlink --generate-cds-archive (" + java_home + "/lib/server/classes.jsa)")]
trees = [(name, why) for name, why in trees if os.path.isdir(os.path.join(work, name))]
layers = [layer(os.path.join(work, name), name + ".tar") for name, _ in trees]
created = "1970-01-01T00:00:00Z"
config = {
    "architecture": arch,
    "os": "linux",
    "created": created,
    "config": {
        "Env": [
            "PATH=" + java_home + "/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "JAVA_HOME=" + java_home,
            "LANG=C.UTF-8",
        ],
        "Cmd": ["/bin/bash"],
        "WorkingDir": "/",
    },
    "rootfs": {"type": "layers", "diff_ids": [d for _, d in layers]},
    "history": [{"created": created, "created_by": why} for _, why in trees],
}
config_bytes = json.dumps(config, indent=2).encode()
config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
with open(os.path.join(staging, config_name), "wb") as f:
    f.write(config_bytes)
manifest = [{"Config": config_name, "RepoTags": ["trafficctl-base:" + codename], "Layers": [n for n, _ in layers]}]
with open(os.path.join(staging, "manifest.json"), "w") as f:
    json.dump(manifest, f)
with tarfile.open(dest, "w", format=tarfile.PAX_FORMAT) as tar:
    for name in ["manifest.json", config_name] + [n for n, _ in layers]:
        tar.add(os.path.join(staging, name), arcname=name)
PY
mv -f "$tarball.tmp" "$tarball"
echo "$stamp" >"$out/stamp"
rm -rf "$work"
log "base image built in $((SECONDS - started))s: $tarball ($(du -h "$tarball" | cut -f1))"

if [[ -n $existing ]]; then
  # The layers' digests (the config's diff_ids) of both builds, side by side.
  code=0
  python3 - "$existing" "$tarball" <<'PY' || code=$?
import json, sys, tarfile

def layers(path):
    with tarfile.open(path) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))[0]
        config = json.load(tar.extractfile(manifest["Config"]))
    return dict(zip(manifest["Layers"], config["rootfs"]["diff_ids"]))

# JDK 17's class-data archive is never the same twice; it is alone in its layer for that reason.
UNREPRODUCIBLE = {"cds.tar"}
first, again = layers(sys.argv[1]), layers(sys.argv[2])
differ = 0
for name in sorted(set(first) | set(again)):
    same = first.get(name) == again.get(name)
    expected = "" if same or name not in UNREPRODUCIBLE else " (expected)"
    differ += not same and not expected
    print(f"{name:11} {first.get(name, '-')}  {'same' if same else 'differs' + expected}: {again.get(name, '-')}")
sys.exit(1 if differ else 0)
PY
  rm -rf "$out"
  exit "$code"
fi
