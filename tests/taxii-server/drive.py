"""Drives `vigie serve` with taxii2-client; run by run.sh. Exits 1 at the first failed check."""
import os
import sys

import requests
import requests.auth
from taxii2client.v21 import Server, as_pages

URL = os.environ["VIGIE_TAXII_URL"]
TLP = {
    "clear": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "green": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "amber": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "red": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        print(f"FAILED: {what}", file=sys.stderr)
        sys.exit(1)


def indicator(n, tlp, modified="2026-03-01T00:00:00.000Z"):
    return {
        "type": "indicator", "spec_version": "2.1",
        "id": f"indicator--5e1c0000-0000-4000-8000-{n:012d}",
        "created": "2026-03-01T00:00:00.000Z", "modified": modified,
        "name": f"C2 {n}", "pattern": f"[ipv4-addr:value = '198.51.100.{n}']",
        "pattern_type": "stix", "valid_from": "2026-03-01T00:00:00Z",
        "object_marking_refs": [TLP[tlp]],
    }


def collection(server, title):
    for c in server.api_roots[0].collections:
        if c.title == title:
            return c
    return None


class Bearer(requests.auth.AuthBase):
    """A bearer token, through taxii2-client's `auth` parameter."""

    def __init__(self, token):
        self.token = token

    def __call__(self, r):
        r.headers["Authorization"] = f"Bearer {self.token}"
        return r


a = Server(URL, user="cert-a", password="Password-A")
check(a.title == "Vigie test server", "discovery title")
check(len(a.api_roots) == 1, "one API root")
root = a.api_roots[0]
check("application/taxii+json;version=2.1" in root.versions, "API root versions")
check({c.title for c in root.collections} == {"Shared indicators", "cert-a private"}, "cert-a sees its collections")

shared = collection(a, "Shared indicators")
objs = [indicator(i, t) for i, t in enumerate(["clear", "green", "amber", "clear", "green", "amber", "clear"], 1)]
status = shared.add_objects({"objects": objs})
check(status.status == "complete" and status.success_count == 7, f"add: {status.status} {status.success_count}")
v2 = indicator(1, "clear", modified="2026-03-05T00:00:00.000Z")
shared.add_objects({"objects": [v2]})
red = Server(URL, user="cert-red", password="Password-Red")
collection(red, "Shared indicators").add_objects({"objects": [indicator(99, "red")]})

# Read back, two at a time.
seen = []
for envelope in as_pages(shared.get_objects, per_request=2):
    seen.extend(o["id"] for o in envelope.get("objects", []))
check(len(seen) == 7 and len(set(seen)) == 7, f"pages: {len(seen)} objects, {len(set(seen))} distinct")
check(not any(i.endswith("000000000099") for i in seen), "cert-a (amber) never gets the TLP:RED object")
# Filters.
env = shared.get_objects(type="indicator", id=objs[2]["id"])
check([o["id"] for o in env["objects"]] == [objs[2]["id"]], "match[id]")
env = shared.get_objects(type="malware")
check(not env.get("objects"), "match[type] with nothing of that type")
one = shared.get_object(objs[0]["id"])
check(one["objects"][0]["modified"] == "2026-03-05T00:00:00.000Z", "latest version by default")
allv = shared.get_object(objs[0]["id"], version="all")
check(len(allv["objects"]) == 2, "match[version]=all")
versions = shared.object_versions(objs[0]["id"])
check(versions["versions"] == ["2026-03-01T00:00:00.000Z", "2026-03-05T00:00:00.000Z"], f"versions: {versions}")
manifest = shared.get_manifest()
check(len(manifest["objects"]) == 7, "manifest")
check(all(m["media_type"] == "application/stix+json;version=2.1" for m in manifest["objects"]), "manifest media types")
# Delete.
shared.delete_object(objs[6]["id"])
try:
    shared.get_object(objs[6]["id"])
    check(False, "a deleted object is gone")
except requests.exceptions.HTTPError as e:
    check(e.response.status_code == 404, "deleted object: 404")

# cert-b, token, cleared for green: only clear and green, read-only, no private collection.
b = Server(URL, auth=Bearer("token-of-partner-b"))
b_shared = collection(b, "Shared indicators")
check(b_shared is not None and b_shared.can_read and not b_shared.can_write, "cert-b reads the shared collection")
check(collection(b, "cert-a private") is None, "cert-b does not see cert-a's collection")
got = [o["object_marking_refs"][0] for o in b_shared.get_objects().get("objects", [])]
check(got and set(got) <= {TLP["clear"], TLP["green"]}, f"cert-b gets clear and green only: {got}")
# taxii2-client refuses to write where can_write is false; the server must refuse too.
r = requests.post(b_shared.url + "objects/", json={"objects": [indicator(50, "clear")]},
                  auth=Bearer("token-of-partner-b"),
                  headers={"Accept": "application/taxii+json;version=2.1",
                           "Content-Type": "application/taxii+json;version=2.1"})
check(r.status_code == 403 and r.json()["http_status"] == "403", f"cert-b write: {r.status_code}")
# Without credentials.
try:
    Server(URL).title
    check(False, "anonymous refused")
except requests.exceptions.HTTPError as e:
    check(e.response.status_code == 401, "anonymous: 401")
print(f"taxii2-client against vigie serve: {checks} checks passed")
