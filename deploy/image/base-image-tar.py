# Packs a root file system into a docker-save tarball (one layer), for Jib's tar:// base image.
import hashlib, json, os, sys, tarfile, io
root, out = sys.argv[1], sys.argv[2]
layer = out + ".layer.tar"
with tarfile.open(layer, "w", format=tarfile.PAX_FORMAT) as t:
    for name in sorted(os.listdir(root)):
        t.add(os.path.join(root, name), arcname=name)
h = hashlib.sha256()
with open(layer, "rb") as f:
    for chunk in iter(lambda: f.read(1 << 20), b""):
        h.update(chunk)
diff = "sha256:" + h.hexdigest()
config = {"architecture": "amd64", "os": "linux",
          "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                             "JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64"]},
          "rootfs": {"type": "layers", "diff_ids": [diff]}, "history": [{"created_by": "debootstrap bookworm minbase + openjdk-17-jre-headless"}]}
cj = json.dumps(config).encode()
cname = hashlib.sha256(cj).hexdigest() + ".json"
manifest = [{"Config": cname, "RepoTags": ["bluegreen-base:bookworm-jre17"], "Layers": ["layer.tar"]}]
with tarfile.open(out, "w") as t:
    t.add(layer, arcname="layer.tar")
    for n, data in ((cname, cj), ("manifest.json", json.dumps(manifest).encode())):
        ti = tarfile.TarInfo(n); ti.size = len(data); t.addfile(ti, io.BytesIO(data))
os.remove(layer)
print(out, diff)
