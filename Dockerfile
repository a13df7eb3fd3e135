# driftwatch in a container: `docker build -t driftwatch .`, then
# `docker run --rm -v "$PWD:/work" -e AWS_REGION -e AWS_ACCESS_KEY_ID ... driftwatch check`.
# The working directory is /work: mount the repository holding golden/ and driftwatch.toml there.

# Build stage: the official Rust image (its toolchain is at least Cargo.toml's rust-version), with
# exactly the dependency versions of Cargo.lock.
FROM rust:1.95-bookworm AS build
WORKDIR /src

# Dependencies first, in their own layer: built against placeholder sources, so changing
# driftwatch's own code does not recompile the AWS SDK (several minutes).
# A workspace: the binary (the root package) and its engine crate, crates/driftwatch-core.
COPY Cargo.toml Cargo.lock ./
COPY crates/driftwatch-core/Cargo.toml crates/driftwatch-core/
RUN mkdir -p src crates/driftwatch-core/src \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs crates/driftwatch-core/src/lib.rs \
    && cargo build --release --locked \
    && rm -r src crates/driftwatch-core/src

COPY crates crates
COPY src src
# COPY keeps the files' own modification times, which may be older than the placeholder build:
# touch them so cargo rebuilds driftwatch itself.
RUN touch src/main.rs src/lib.rs crates/driftwatch-core/src/lib.rs \
    && cargo build --release --locked \
    && cp target/release/driftwatch /usr/local/bin/driftwatch

# Run stage: distroless "cc" is glibc, libgcc and CA certificates (for TLS to AWS), no shell, no
# package manager. Its :nonroot variant has the user nonroot, uid 65532, which we run as.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /usr/local/bin/driftwatch /usr/local/bin/driftwatch
WORKDIR /work
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/driftwatch"]
CMD ["check"]
