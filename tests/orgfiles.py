"""A small, valid organization as files, for import tests to break one cell at a time."""

from __future__ import annotations

from pathlib import Path

UNITS = """unit_id,name,parent_id,kind,position,region
BANK,Regional bank,,,,
CC,Contact center,BANK,business_unit,core,North
AR,Accounts receivable,BANK,function,core,South
ADV,Small-business advisory,BANK,business_unit,edge,North
"""

PEOPLE_HEADER = (
    "person_id,unit_id,role,level,manager_id,is_supervisor,contracted_hours,hire_date,"
    "skills,tenure_years\n"
)


def people_csv() -> str:
    rows = []
    units = ["CC"] * 8 + ["AR"] * 6 + ["ADV"] * 2
    for i, unit in enumerate(units):
        manager = "" if i in (0, 8, 14) else {"CC": "P00", "AR": "P08", "ADV": "P14"}[unit]
        hours = 30 if i == 5 else 40
        rows.append(
            f"P{i:02d},{unit},agent,L{i % 3},{manager},{'yes' if manager == '' else 'no'},"
            f"{hours},2019-0{1 + i % 9}-15,excel;credit,{1 + i % 7}"
        )
    return PEOPLE_HEADER + "\n".join(rows) + "\n"


# Names for P00-P13; P14 and P15 (ADV) have none, as in pseudonymized data.
NAMES = (
    "Ada Alder", "Bruno Banks", "Clara Costa", "Dara Dahl", "Elif Ekwu", "Finn Falk",
    "Gia Garrow", "Hugo Hart", "Ines Ibarra", "Jonas Jansen", "Kai Kovac", "Lara Lind",
    "Maya Marsh", "Nico Navarro",
)  # fmt: skip


def named_people_csv() -> str:
    """:func:`people_csv` with ``name`` and ``email`` columns, empty for P14 and P15."""
    lines = people_csv().splitlines()
    out = [lines[0] + ",name,email"]
    for i, line in enumerate(lines[1:]):
        if i < len(NAMES):
            mail = NAMES[i].lower().replace(" ", ".") + "@bank.example"
            out.append(f"{line},{NAMES[i]},{mail}")
        else:
            out.append(line + ",,")
    return "\n".join(out) + "\n"


ACTIVITIES = """activity_id,name,description,category,automation_potential,eliminable,skill
A-CALLS,Answer customer calls,Answer inbound calls about accounts,service,0.3,no,service
A-RECON,Reconcile payments,Match payments to invoices,routine,0.8,no,excel
A-REPORT,Weekly status report,Compile the weekly report,routine,,yes,excel
"""


def allocations_csv() -> str:
    rows = ["person_id,activity_id,hours_per_week"]
    for i in range(16):
        total = 30 if i == 5 else 40
        rows += [f"P{i:02d},A-CALLS,{total - 15}", f"P{i:02d},A-RECON,10", f"P{i:02d},A-REPORT,5"]
    return "\n".join(rows) + "\n"


METRICS = """metric_id,name,level,parent_id,direction,unit
REV,Revenue from existing customers,financial,,up,USD
RET,Retention after a collection event,operating,REV,up,%
OUT,Proactive outreach calls,frontline,RET,up,calls
"""

METRIC_VALUES = """metric_id,scope,scope_id,date,value
RET,unit,AR,2024-01-01,0.61
RET,unit,AR,2024-01-08,0.62
OUT,unit,CC,2024-01-01,120
OUT,person,P03,2024-01-01,14
REV,org,BANK,2024-01-01,1000000
"""

INTERACTIONS = """timestamp,sender_id,recipient_ids,channel,duration_minutes,topic
2024-01-02T09:00:00,P01,P02;P03,email,,refunds
2024-01-02T10:00:00,P02,P01,chat,,refunds
2024-01-03T11:00:00,P00,P01;P02;P08,meeting,30,backlog
2024-01-04T15:30:00,P09,VENDOR-1,email,,invoices
2024-01-05T08:15:00,CUST-7,P09,call,12,collections
"""

APPLICATIONS = """person_id,problem,why,submitted_at
P03,Customers who miss a payment leave us,I hear it on every call,2024-02-01T09:00:00
P09,Invoices disputed for months,We could spot them in week one,2024-02-02T10:30:00
"""

FILES = {
    "units.csv": UNITS,
    "people.csv": people_csv(),
    "activities.csv": ACTIVITIES,
    "allocations.csv": allocations_csv(),
    "metrics.csv": METRICS,
    "metric_values.csv": METRIC_VALUES,
    "interactions.csv": INTERACTIONS,
    "applications.csv": APPLICATIONS,
}


def write_org(folder: Path, **replace: str) -> Path:
    """Write the organization into ``folder``; ``replace`` swaps a file's text by its stem."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in FILES.items():
        (folder / name).write_text(replace.get(name.removesuffix(".csv"), text), encoding="utf-8")
    return folder
