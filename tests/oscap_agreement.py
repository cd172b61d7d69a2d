"""Agreement of Vigie's results with oscap's, id by id, against listed expected differences:
shared by tests/oval/compare.py (OVAL definitions) and tests/xccdf/compare.py (XCCDF rules)."""


def agreement(oscap, vigie, listed, noun):
    """Prints how two id -> result maps agree, and every difference. `listed` maps an id to its
    expected difference (vigie result, oscap result, reason). Returns (ok, ids compared, ids
    equal, listed ids met): ok when the differences are exactly listed ones and no listed one
    now agrees."""
    ok = True
    if set(oscap) != set(vigie):
        only_o = sorted(set(oscap) - set(vigie))
        only_v = sorted(set(vigie) - set(oscap))
        print(f"{noun} differ: {len(only_o)} in oscap only {only_o[:5]}, "
              f"{len(only_v)} in vigie only {only_v[:5]}")
        ok = False
    ids = sorted(set(oscap) & set(vigie))
    same = [i for i in ids if oscap[i] == vigie[i]]
    pct = 100.0 * len(same) / len(ids) if ids else 0.0
    print(f"{len(same)} of {len(ids)} {noun} agree with oscap ({pct:.2f}%)")
    met = []
    for i in ids:
        v, o = vigie[i], oscap[i]
        e = listed.get(i)
        if v == o:
            if e:
                print(f"FIXED (listed, now both {v}): {i}")
                ok = False
            continue
        if e and e[0] == v and e[1] == o:
            print(f"listed: {i}\tvigie {v}\toscap {o}\t{e[2]}")
            met.append(i)
        else:
            print(f"NEW DIFFERENCE: {i}\tvigie {v}\toscap {o}")
            ok = False
    return ok, ids, same, met
