"""What the St. Louis courts API answers and accepts, as examples in the OpenAPI schema: rows
of the demo data (`manage.py load_demo_data`), whose defendants are clearly synthetic
("Sample Synthetic", citations numbered SYNDEMO...). A list's example is one of its rows,
which drf-spectacular puts in the page shape (`cities.api.pagination`)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample

BALLWIN_COURT: dict[str, Any] = {
    "slug": "ballwin-court",
    "name": "Ballwin Court",
    "phone": "636-227-9468",
    "website": "http://www.ballwin.mo.us/Departments/Government-Departments/Municipal-Court/Municipal-Court/",
    "payment_system": "iPayCourt",
    "address": "300 Park Drive",
    "city": "St. Louis",
    "state": "MO",
    "zip_code": "63011",
    "latitude": 38.59729089,
    "longitude": -90.54189364,
    "hours": "",
    "citation_expires_after_days": None,
    "rights_format": "LINK",
    "rights_url": "http://www.stlouisco.com/LawandPublicSafety/MunicipalCourts/NoticeofRights",
    "municipalities": ["Ballwin"],
}

COURT = OpenApiExample(
    "Ballwin Court",
    value=BALLWIN_COURT,
)

MUNICIPALITY = OpenApiExample(
    "Ballwin",
    value={
        "source_id": "1",
        "name": "Ballwin",
        "payment_url": "http://www.ipaycourt.com/frmCitationSearch.aspx?ori=Ballwin",
        "population": None,
        "courts": ["ballwin-court"],
    },
)

JUDGE = OpenApiExample(
    "A judge of Ballwin Court",
    value={"source_id": "1", "name": "Virginia Nye", "court": "ballwin-court"},
)

CITATION = OpenApiExample(
    "A synthetic citation",
    value={
        "citation_number": "SYNDEMO0001",
        "citation_date": "2026-11-07",
        "first_name": "Sample",
        "last_name": "Synthetic",
        "date_of_birth": "1990-05-01",
        "address": "",
        "city": "",
        "state": "MO",
        "licence_number": "",
        "licence_state": "",
        "court": "ballwin-court",
        "municipality": "Ballwin",
        "synthetic": True,
        "court_dates": [{"day": "2026-12-11", "time": "09:30:00"}],
        "violations": [
            {
                "violation_number": "SYNDEMO0001-01",
                "description": "Abandoned Auto",
                "status": "CONT FOR PAYMENT",
                "status_date": "2026-11-17",
                "fine_amount": "50.50",
                "court_cost": "24.50",
                "can_pay_online": True,
                "warrant_number": None,
            }
        ],
    },
)

TICKET = OpenApiExample(
    "A ticket waiting for payment",
    value={
        "citation_number": "SYNDEMO0001",
        "citation_date": "2026-11-07",
        "municipality": "Ballwin",
        "court": BALLWIN_COURT,
        "payment_url": "http://www.ipaycourt.com/frmCitationSearch.aspx?ori=Ballwin",
        "court_date": {"day": "2026-12-11", "time": "09:30:00"},
        "total_owed": "75.00",
        "violations": [
            {
                "violation_number": "SYNDEMO0001-01",
                "description": "Abandoned Auto",
                "status": "CONT FOR PAYMENT",
                "status_label": "Waiting for payment",
                "fine_amount": "50.50",
                "court_cost": "24.50",
                "amount_owed": "75.00",
                "can_pay_online": True,
                "warrant": None,
                "guidance": [
                    {
                        "situation": "pay_online",
                        "title": "Pay online",
                        "text": "You can pay $75.00 online on the court's payment site (iPayCourt). "
                        "Have your ticket number ready. Keep the receipt. If you pay before "
                        "your court date, you may not need to go to court. Call the court to "
                        "be sure.",
                        "link": "http://www.ipaycourt.com/frmCitationSearch.aspx?ori=Ballwin",
                    },
                    {
                        "situation": "appear",
                        "title": "Go to court",
                        "text": "Your court date is Friday, December 11, 2026 at 9:30 AM, at Ballwin "
                        "Court, 300 Park Drive, St. Louis. Come a little early. Bring your "
                        "ticket, a photo ID and any papers about your case. If you cannot "
                        "come, call 636-227-9468 before that day. If you miss court, the "
                        "judge can make a warrant.",
                        "link": "",
                    },
                    {
                        "situation": "cannot_pay",
                        "title": "If you cannot pay all of it",
                        "text": "Tell the judge or the court clerk. You can ask for a payment plan, "
                        "to pay a little at a time. You can also ask to do community service "
                        "instead of paying. The judge must think about what you can afford.",
                        "link": "",
                    },
                ],
            }
        ],
    },
    response_only=True,
)

LOOKUP_BY_CITATION = OpenApiExample(
    "By citation number",
    value={"kind": "citation", "citation_number": "SYNDEMO0001", "date_of_birth": "1990-05-01"},
    request_only=True,
)

LOOKUP_BY_LICENCE = OpenApiExample(
    "By licence",
    value={"kind": "licence", "licence_number": "SYN000000002", "licence_state": "MO", "date_of_birth": "1988-03-12"},
    description="The demo's synthetic tickets carry no licence: there this search finds nothing (404).",
    request_only=True,
)

LOOKUP_BY_NAME = OpenApiExample(
    "By last name and municipality",
    value={"kind": "name", "last_name": "Synthetic", "municipality": 1, "date_of_birth": "1975-11-23"},
    description="Municipality 1 is Ballwin in the demo data.",
    request_only=True,
)

COURT_STATISTICS = OpenApiExample(
    "Normandy Court",
    value={
        "court": "normandy-court",
        "court_name": "Normandy Court",
        "citations": 25,
        "violations": 23,
        "fines": 824.49,
        "court_costs": 245.0,
        "warrants": 6,
        "warrant_share": 0.2608695652173913,
    },
)
