#!/bin/sh
# Installs a released driftwatch binary: picks the build for this OS and CPU, downloads it and the
# release's SHA256SUMS, checks the SHA-256 and copies the binary into the install folder.
#
#   curl -fsSL https://raw.githubusercontent.com/OWNER/driftwatch/main/scripts/install.sh | DRIFTWATCH_REPOSITORY=OWNER/driftwatch sh
#
# Settings (environment):
#   DRIFTWATCH_REPOSITORY   owner/name of the GitHub repository whose releases to use (required)
#   DRIFTWATCH_VERSION      a release such as 0.1.0 or v0.1.0; default: the latest release
#   DRIFTWATCH_INSTALL_DIR  where the binary goes; default: $HOME/.local/bin
#   DRIFTWATCH_BASE_URL     default https://github.com (a mirror with the same paths, or a test)
#
# POSIX sh; needs curl, tar and sha256sum or shasum.
set -eu

repo=${DRIFTWATCH_REPOSITORY:-}
version=${DRIFTWATCH_VERSION:-latest}
dest=${DRIFTWATCH_INSTALL_DIR:-$HOME/.local/bin}
site=${DRIFTWATCH_BASE_URL:-https://github.com}

fail() {
    echo "driftwatch install: $*" >&2
    exit 1
}

[ -n "$repo" ] || fail "set DRIFTWATCH_REPOSITORY to the GitHub repository to install from (owner/name)"
command -v curl >/dev/null || fail "curl is needed"
command -v tar >/dev/null || fail "tar is needed"

# The release targets (see .github/workflows/release.yml): static musl builds on Linux.
case "$(uname -s)" in
    Linux) os=unknown-linux-musl ;;
    Darwin) os=apple-darwin ;;
    *) fail "no release build for $(uname -s); use: cargo install --locked --git https://github.com/$repo" ;;
esac
case "$(uname -m)" in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) fail "no release build for $(uname -m); use: cargo install --locked --git https://github.com/$repo" ;;
esac
target=$arch-$os

fetch() {
    # $1 URL, $2 file. -f: an HTTP error is a failure, not a saved error page.
    curl -fsSL --retry 3 -o "$2" "$1"
}

if [ "$version" = latest ]; then
    # github.com answers /releases/latest with a redirect to /releases/tag/vX.Y.Z; no API call,
    # so no API rate limit.
    url=$(curl -fsSLI --retry 3 -o /dev/null -w '%{url_effective}' "$site/$repo/releases/latest") ||
        fail "could not find the latest release of $repo"
    version=${url##*/}
    case "$version" in
        v[0-9]*) ;;
        *) fail "$repo has no release ($site/$repo/releases)" ;;
    esac
fi
version=${version#v}
tag=v$version
archive=driftwatch-$version-$target.tar.gz
base=$site/$repo/releases/download/$tag

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
echo "driftwatch install: $repo $tag for $target" >&2
fetch "$base/$archive" "$tmp/$archive" || fail "could not download $base/$archive"
fetch "$base/SHA256SUMS" "$tmp/SHA256SUMS" || fail "could not download $base/SHA256SUMS"

expected=$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1 }' "$tmp/SHA256SUMS")
[ -n "$expected" ] || fail "SHA256SUMS of $tag lists no $archive"
if command -v sha256sum >/dev/null; then
    actual=$(sha256sum "$tmp/$archive" | awk '{ print $1 }')
elif command -v shasum >/dev/null; then
    actual=$(shasum -a 256 "$tmp/$archive" | awk '{ print $1 }')
else
    fail "sha256sum or shasum is needed to check the download"
fi
[ "$expected" = "$actual" ] || fail "checksum mismatch for $archive: expected $expected, got $actual"

tar -xzf "$tmp/$archive" -C "$tmp"
mkdir -p "$dest"
# Copy then rename, so a running driftwatch is never overwritten in place.
cp "$tmp/driftwatch-$version-$target/driftwatch" "$dest/.driftwatch.new"
chmod 0755 "$dest/.driftwatch.new"
mv -f "$dest/.driftwatch.new" "$dest/driftwatch"
echo "driftwatch install: $dest/driftwatch ($("$dest/driftwatch" --version))" >&2
case ":$PATH:" in
    *":$dest:"*) ;;
    *) echo "driftwatch install: $dest is not on PATH; add it, e.g. export PATH=\"$dest:\$PATH\"" >&2 ;;
esac
