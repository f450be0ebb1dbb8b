#!/usr/bin/env bash
# Builds the operator's image as a tarball with Jib (no Docker daemon, no registry) on a base image made
# here from Debian's packages, then checks it the way a container runtime would run it: its layers
# unpacked into a root file system, its entrypoint run there as its user (uid 185) with chroot, against
# the project's AWS simulator, until the example services are Steady. Needs root, debootstrap and a
# Debian mirror: MIRROR if set, else the one this machine's apt uses for the suite (apt-mirror.sh), so
# the script follows whatever mirror the machine is configured with. About two minutes. Not part of the
# tests (./mvnw verify).
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${WORK:-$(mktemp -d /tmp/bluegreen-image.XXXXXX)}
mkdir -p "$work"
echo "working in $work"

suite=bookworm
if [ ! -f "$work/base.tar" ]; then
  mirror=${MIRROR:-$(deploy/image/apt-mirror.sh "$suite")}
  echo "Debian mirror: $mirror"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless "$suite" "$work/base" "$mirror" >"$work/debootstrap.log"
  rm -rf "$work"/base/usr/share/{doc,man,locale} "$work"/base/var/lib/apt/lists/* "$work"/base/var/cache/apt/*
  python3 deploy/image/base-image-tar.py "$work/base" "$work/base.tar"
fi

./mvnw -B -ntp -q package -Pimage-tar -DskipTests -Dimage.base="tar://$work/base.tar"
image=operator/target/ecs-bluegreen-operator-image.tar
echo "image: $image ($(du -h "$image" | cut -f1))"

rm -rf "$work/image" "$work/root" && mkdir -p "$work/image" "$work/root"
tar -xf "$image" -C "$work/image"
for layer in $(python3 -c "import json,sys; print(' '.join(json.load(open(sys.argv[1]))[0]['Layers']))" "$work/image/manifest.json"); do
  tar -xzf "$work/image/$layer" -C "$work/root"
done
entrypoint=$(python3 -c "import json,glob; c=[f for f in glob.glob('$work/image/*.json') if not f.endswith('manifest.json')][0]; print(' '.join(json.load(open(c))['config']['Entrypoint']))")
echo "entrypoint: $entrypoint"
cp -r examples "$work/root/examples"
mount -t proc proc "$work/root/proc"
cleanup() { kill "${sim:-0}" "${op:-0}" 2>/dev/null || true; umount "$work/root/proc" 2>/dev/null || true; }
trap cleanup EXIT

java -jar simulator/target/ecs-bluegreen-simulator.jar --port 4566 --seed examples/simulator/seed.yaml >"$work/simulator.log" 2>&1 &
sim=$!
sleep 3
env -i PATH=/usr/bin:/bin QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=18090 BLUEGREEN_SOURCES=dir:/examples \
  BLUEGREEN_AWS_ENDPOINT_OVERRIDE=http://127.0.0.1:4566 BLUEGREEN_AWS_REGION=us-east-1 \
  BLUEGREEN_AWS_ACCESS_KEY_ID=local BLUEGREEN_AWS_SECRET_ACCESS_KEY=local BLUEGREEN_AWS_S3_PATH_STYLE=true \
  /usr/sbin/chroot --userspec=185:185 "$work/root" sh -c "cd /tmp && exec $entrypoint run" >"$work/operator.log" 2>&1 &
op=$!

for i in $(seq 1 60); do
  steady=$(curl -s http://127.0.0.1:18090/api/v1/services | python3 -c "import json,sys; s=json.load(sys.stdin); print(sum(x.get('phase')=='Steady' for x in s), len(s))" 2>/dev/null || echo "0 0")
  set -- $steady
  if [ "$2" -gt 0 ] && [ "$1" = "$2" ]; then
    echo "the image's operator, as uid 185, brought $1 example services to Steady in about $((i * 2)) s"
    grep -m1 "started in" "$work/operator.log"
    exit 0
  fi
  sleep 2
done
echo "the services did not become Steady; see $work/operator.log" >&2
exit 1
