"""The Preservation Catalog's subsidy programmes, each with the portfolio the Catalog files it under.

Taken from the Catalog's own files (prescat_subsidy.csv and the 2016 export agree on every pair).
A subsidy file naming a programme not listed here, or filing it under another portfolio, is
refused with the rows named: a new programme is a change to read and add here, not a typo to store.
"""

from __future__ import annotations

PROGRAM_PORTFOLIOS: dict[str, str] = {
    "Community development block grant": "CDBG",
    "DC housing production trust fund": "DC housing production trust fund",
    "Federal Home Loan Bank": "Federal Home Loan Bank",
    "HOME": "HOME",
    "HOPE VI": "HOPE VI",
    "Sec 207/223(f) Pur/Refin Hsg.": "HUD-insured mortgage",
    "Sec 220 Urban Renewal Hsg.": "HUD-insured mortgage",
    "Sec 221(d)(3) BMIR Urban Renewal/Coop Hsg": "HUD-insured mortgage",
    "Sec 221(d)(3) Mkt. Rate Moderate Inc/Disp Fams": "HUD-insured mortgage",
    "Sec 221(d)(4) Mkt. Rate Mod Inc/Disp Fams": "HUD-insured mortgage",
    "Sec 223(a)(7)/207/223(f) Refinanced Insurance": "HUD-insured mortgage",
    "Sec 223(a)(7)/220 Refi/Urban Renewal": "HUD-insured mortgage",
    "Sec 223(a)(7)/221(d)(3) MKT Refi/Moderate Income": "HUD-insured mortgage",
    "Sec 223(a)(7)/221(d)(4) MKT Refi/Moderate Income": "HUD-insured mortgage",
    "Sec 223(a)(7)/221(d)(4) MKT/244 Refi/Mod Income Co-In": "HUD-insured mortgage",
    "Sec 223(a)(7)/232 Refi/Nursing Home": "HUD-insured mortgage",
    "Sec 232 Nursing Homes": "HUD-insured mortgage",
    "Sec 232/223(f)/Pur/Refin/Nursing Hms": "HUD-insured mortgage",
    "Sec 236(j)(1)/Lower Income Families": "HUD-insured mortgage",
    "Sec 241(a)/221-BMIR Improvements & Additions": "HUD-insured mortgage",
    "Sec 542(b) QPE Risk Sharing-Existing": "HUD-insured mortgage",
    "Sec 542(b) QPE Risk Sharing-Recent Comp": "HUD-insured mortgage",
    "Sec 542(c) HFA Risk Sharing-Existing": "HUD-insured mortgage",
    "Sec 542(c) HFA Risk Sharing-Recent Comp": "HUD-insured mortgage",
    "Low income housing tax credit": "LIHTC",
    "McKinney Vento Act loan": "McKinney Vento",
    "Sec 202 project rental assistance contract": "Project rental assistance contract",
    "Sec 811 project rental assistance contract": "Project rental assistance contract",
    "Sec 8 housing finance agency (unspecified)": "Project-based section 8",
    "Sec 8 housing finance agency new construction": "Project-based section 8",
    "Sec 8 housing finance agency substantial rehabilitation": "Project-based section 8",
    "Sec 8 loan management set-aside": "Project-based section 8",
    "Sec 8 new construction": "Project-based section 8",
    "Sec 8 property disposition (unspecified)": "Project-based section 8",
    "Sec 8 property disposition existing": "Project-based section 8",
    "Sec 8 property disposition moderate rehabilitation": "Project-based section 8",
    "Sec 8 property disposition substantial rehabilitation": "Project-based section 8",
    "Sec 8 substantial rehabilitation": "Project-based section 8",
    "Project-based vouchers": "Project-based vouchers",
    "Public housing": "Public housing",
    "Sec 202 direct loan/elderly/pre-1974": "Section 202/811",
    "Sec 202 new construction": "Section 202/811",
    "Sec 202 substantial rehabilitation": "Section 202/811",
    "Sec 202/8 direct loan/elderly-handicapped": "Section 202/811",
    "Sec 202/811 capital advance": "Section 202/811",
    "Tax exempt bond": "Tax exempt bond",
}

PORTFOLIOS: tuple[str, ...] = tuple(sorted(set(PROGRAM_PORTFOLIOS.values())))
