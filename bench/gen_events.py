#!/usr/bin/env python3
"""Deterministic generator of realistic Windows events as JSON lines (Vigie's benchmark input).

Sysmon (process creation, network, image load, process access, file, registry, DNS) and
Security (logon, process creation) events with Sysmon's and Windows' own field names, flat as
NXLog / Winlogbeat-style exports write them, each with the rendered `Message` text that real
exports carry: 1.2 to 3.3 KB an event, about 1.8 KB on average. Same seed, same bytes.

    python3 bench/gen_events.py --size 1G --out target/bench/events.jsonl [--seed 1]
"""
import argparse
import json
import random
import sys

HOSTS = [f"WS-{d}-{i:02d}.andp.gouv.local" for d in ("COMPTA", "RH", "DSI", "JURI", "ACCUEIL") for i in range(1, 13)]
USERS = ["c.martin", "p.durand", "s.bernard", "l.petit", "m.robert", "a.richard", "j.moreau", "n.simon"]
IMAGES = [
    r"C:\Windows\System32\svchost.exe", r"C:\Windows\explorer.exe", r"C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe", r"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe",
    r"C:\Windows\System32\cmd.exe", r"C:\Windows\System32\conhost.exe", r"C:\Windows\System32\RuntimeBroker.exe",
    r"C:\Program Files\Microsoft Office\root\Office16\WINWORD.EXE", r"C:\Windows\System32\taskhostw.exe",
    r"C:\Windows\System32\SearchIndexer.exe", r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
]
DLLS = [r"C:\Windows\System32\ntdll.dll", r"C:\Windows\System32\kernel32.dll", r"C:\Windows\System32\user32.dll",
        r"C:\Windows\System32\crypt32.dll", r"C:\Windows\System32\wininet.dll", r"C:\Windows\System32\amsi.dll"]
DOMAINS = ["www.service-public.fr", "login.microsoftonline.com", "outlook.office365.com", "update.microsoft.com",
           "intranet.andp.gouv.local", "www.legifrance.gouv.fr", "cdn.jsdelivr.net", "fonts.gstatic.com"]


def hexid(r, n):
    return "".join(r.choice("0123456789ABCDEF") for _ in range(n))


def guid(r):
    return "{%s-%s-%s-%s-%s}" % (hexid(r, 8), hexid(r, 4), hexid(r, 4), hexid(r, 4), hexid(r, 12))


def cmdline(r, image):
    name = image.rsplit("\\", 1)[-1]
    args = {
        "svchost.exe": f"-k netsvcs -p -s {r.choice(['Schedule', 'BITS', 'wuauserv', 'Winmgmt', 'gpsvc'])}",
        "powershell.exe": f"-NoProfile -ExecutionPolicy Bypass -File C:\\ProgramData\\scripts\\inventory_{r.randint(1, 40)}.ps1",
        "cmd.exe": f"/c \"C:\\ProgramData\\scripts\\logon_{r.randint(1, 9)}.bat\"",
        "chrome.exe": f"--type=renderer --lang=fr --field-trial-handle={r.randint(1000, 9999)},i,{r.getrandbits(64)} --mojo-platform-channel-handle={r.randint(1000, 9999)} /prefetch:1",
    }.get(name, "")
    return f'"{image}" {args}'.strip()


def system(r, host, channel, provider, eid, rec, t):
    return {
        "EventTime": t, "Hostname": host, "Computer": host, "Channel": channel, "SourceName": provider,
        "Provider_Name": provider, "EventID": eid, "EventRecordID": rec, "Version": 5, "Level": 4, "Task": 1,
        "Opcode": 0, "Keywords": "0x8000000000000000", "ExecutionProcessID": r.randint(1000, 9000),
        "ThreadID": r.randint(1000, 9000), "UserID": "S-1-5-18", "SeverityValue": 2, "Severity": "INFO",
        "EventReceivedTime": t, "SourceModuleName": "eventlog", "SourceModuleType": "im_msvistalog",
    }


def message(title, fields):
    return title + "\r\n" + "\r\n".join(f"{k}: {v}" for k, v in fields.items())


def event(r, n):
    host = r.choice(HOSTS)
    user = r.choice(USERS)
    t = "2026-03-%02d %02d:%02d:%02d" % (1 + n // 2_000_000 % 28, n // 80_000 % 24, n // 1400 % 60, n // 23 % 60)
    kind = r.choices(["s1", "s3", "s7", "s10", "s11", "s13", "s22", "4624", "4688"], [14, 14, 22, 12, 12, 14, 6, 4, 2])[0]
    sysmon = "Microsoft-Windows-Sysmon/Operational"
    image = r.choice(IMAGES)
    common = {"RuleName": "-", "UtcTime": t + ".%03d" % r.randint(0, 999), "ProcessGuid": guid(r), "ProcessId": r.randint(100, 20000), "Image": image}
    if kind == "s1":
        parent = r.choice(IMAGES)
        data = dict(common, FileVersion="10.0.19041.1 (WinBuild.160101.0800)", Description="Windows host process", Product="Microsoft® Windows® Operating System",
                    Company="Microsoft Corporation", OriginalFileName=image.rsplit("\\", 1)[-1], CommandLine=cmdline(r, image),
                    CurrentDirectory="C:\\Windows\\system32\\", User=f"ANDP\\{user}", LogonGuid=guid(r), LogonId="0x%x" % r.getrandbits(24),
                    TerminalSessionId=1, IntegrityLevel=r.choice(["Medium", "High", "System"]),
                    Hashes=f"MD5={hexid(r, 32)},SHA256={hexid(r, 64)},IMPHASH={hexid(r, 32)}", ParentProcessGuid=guid(r),
                    ParentProcessId=r.randint(100, 20000), ParentImage=parent, ParentCommandLine=cmdline(r, parent), ParentUser=f"ANDP\\{user}")
        title, chan, prov, eid = "Process Create:", sysmon, "Microsoft-Windows-Sysmon", 1
    elif kind == "s3":
        data = dict(common, User=f"ANDP\\{user}", Protocol="tcp", Initiated="true", SourceIsIpv6="false", SourceIp=f"10.20.{r.randint(1, 9)}.{r.randint(2, 250)}",
                    SourceHostname=host, SourcePort=r.randint(49152, 65535), SourcePortName="-", DestinationIsIpv6="false",
                    DestinationIp=f"{r.randint(20, 200)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}", DestinationHostname=r.choice(DOMAINS),
                    DestinationPort=r.choice([443, 443, 80, 445, 389, 53]), DestinationPortName=r.choice(["https", "http", "-"]))
        title, chan, prov, eid = "Network connection detected:", sysmon, "Microsoft-Windows-Sysmon", 3
    elif kind == "s7":
        dll = r.choice(DLLS)
        data = dict(common, ImageLoaded=dll, FileVersion="10.0.19041.3636 (WinBuild.160101.0800)", Description="Windows NT BASE API Client DLL",
                    Product="Microsoft® Windows® Operating System", Company="Microsoft Corporation", OriginalFileName=dll.rsplit("\\", 1)[-1],
                    Hashes=f"MD5={hexid(r, 32)},SHA256={hexid(r, 64)},IMPHASH={hexid(r, 32)}", Signed="true", Signature="Microsoft Windows", SignatureStatus="Valid", User=f"ANDP\\{user}")
        title, chan, prov, eid = "Image loaded:", sysmon, "Microsoft-Windows-Sysmon", 7
    elif kind == "s10":
        data = {"RuleName": "-", "UtcTime": common["UtcTime"], "SourceProcessGUID": guid(r), "SourceProcessId": r.randint(100, 20000), "SourceThreadId": r.randint(100, 20000),
                "SourceImage": image, "TargetProcessGUID": guid(r), "TargetProcessId": r.randint(100, 20000), "TargetImage": r.choice(IMAGES),
                "GrantedAccess": r.choice(["0x1000", "0x1400", "0x101541", "0x40"]),
                "CallTrace": "|".join(f"C:\\Windows\\SYSTEM32\\ntdll.dll+{hexid(r, 5).lower()}" for _ in range(r.randint(3, 7))),
                "SourceUser": f"ANDP\\{user}", "TargetUser": "NT AUTHORITY\\SYSTEM"}
        title, chan, prov, eid = "Process accessed:", sysmon, "Microsoft-Windows-Sysmon", 10
    elif kind == "s11":
        data = dict(common, TargetFilename=f"C:\\Users\\{user}\\AppData\\Local\\Temp\\{hexid(r, 8)}.tmp", CreationUtcTime=common["UtcTime"], User=f"ANDP\\{user}")
        title, chan, prov, eid = "File created:", sysmon, "Microsoft-Windows-Sysmon", 11
    elif kind == "s13":
        data = dict(common, EventType="SetValue", TargetObject=f"HKU\\S-1-5-21-{r.getrandbits(30)}-{r.getrandbits(30)}-1106\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\{r.choice(['RecentDocs', 'UserAssist', 'ComDlg32'])}\\{hexid(r, 6)}",
                    Details=r.choice(["DWORD (0x00000001)", "Binary Data", f"C:\\Users\\{user}\\Documents\\rapport_{r.randint(1, 99)}.docx"]), User=f"ANDP\\{user}")
        title, chan, prov, eid = "Registry value set:", sysmon, "Microsoft-Windows-Sysmon", 13
    elif kind == "s22":
        data = dict(common, QueryName=r.choice(DOMAINS), QueryStatus="0", QueryResults=";".join(f"::ffff:{r.randint(20, 200)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}" for _ in range(3)), User=f"ANDP\\{user}")
        title, chan, prov, eid = "Dns query:", sysmon, "Microsoft-Windows-Sysmon", 22
    elif kind == "4624":
        data = {"SubjectUserSid": "S-1-5-18", "SubjectUserName": host.split(".")[0] + "$", "SubjectDomainName": "ANDP", "SubjectLogonId": "0x3e7",
                "TargetUserSid": f"S-1-5-21-{r.getrandbits(30)}-1106", "TargetUserName": user, "TargetDomainName": "ANDP", "TargetLogonId": "0x%x" % r.getrandbits(24),
                "LogonType": r.choice([2, 3, 3, 7, 10, 11]), "LogonProcessName": "User32", "AuthenticationPackageName": "Negotiate",
                "WorkstationName": host.split(".")[0], "LogonGuid": guid(r), "TransmittedServices": "-", "LmPackageName": "-", "KeyLength": 0,
                "ProcessId": "0x%x" % r.randint(100, 9000), "ProcessName": r"C:\Windows\System32\svchost.exe", "IpAddress": f"10.20.{r.randint(1, 9)}.{r.randint(2, 250)}",
                "IpPort": r.randint(49152, 65535), "ImpersonationLevel": "%%1833", "VirtualAccount": "%%1843", "ElevatedToken": "%%1842"}
        title, chan, prov, eid = "An account was successfully logged on.", "Security", "Microsoft-Windows-Security-Auditing", 4624
    else:
        parent = r.choice(IMAGES)
        data = {"SubjectUserSid": f"S-1-5-21-{r.getrandbits(30)}-1106", "SubjectUserName": user, "SubjectDomainName": "ANDP", "SubjectLogonId": "0x%x" % r.getrandbits(24),
                "NewProcessId": "0x%x" % r.randint(100, 9000), "NewProcessName": image, "TokenElevationType": "%%1938", "ProcessId": "0x%x" % r.randint(100, 9000),
                "CommandLine": cmdline(r, image), "TargetUserSid": "S-1-0-0", "TargetUserName": "-", "TargetDomainName": "-", "TargetLogonId": "0x0",
                "ParentProcessName": parent, "MandatoryLabel": "S-1-16-8192"}
        title, chan, prov, eid = "A new process has been created.", "Security", "Microsoft-Windows-Security-Auditing", 4688
    ev = system(r, host, chan, prov, eid, 1000 + n, t)
    ev.update(data)
    ev["Message"] = message(title, data)
    return ev


def size(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(float(text[:-1]) * units[text[-1].upper()]) if text[-1].upper() in units else int(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", default="100M", help="bytes to write (K, M, G suffixes)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default="-")
    a = ap.parse_args()
    target = size(a.size)
    r = random.Random(a.seed)
    out = sys.stdout if a.out == "-" else open(a.out, "w", encoding="utf-8", newline="\n")
    written = n = 0
    with out:
        while written < target:
            line = json.dumps(event(r, n), ensure_ascii=False, separators=(",", ":")) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
            n += 1
    print(f"{n} events, {written} bytes, {written / max(n, 1):.0f} bytes an event", file=sys.stderr)


if __name__ == "__main__":
    main()
