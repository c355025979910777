"""One demo county: its divisions, population, facilities and staff.

Everything is drawn from one seeded ``random.Random``, so the same seed gives
the same county, row for row.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from desktop.demo.names import NameMaker
from desktop.demo.rows import Rows
from desktop.identifiers import make_credit_code, make_id_number

POPULATION_YEARS = (2024, 2025, 2026)
# Birthplace area codes of people who came from elsewhere in the province (real GB/T 2260 codes).
OTHER_AREA_CODES = ("530102", "530103", "530111", "530381", "532502", "532503", "532524", "532927")


@dataclass
class Township:
    division_id: int
    name: str
    street: bool
    villages: list[int] = field(default_factory=list)  # division ids
    centre_id: int | None = None  # its THC or CHSC
    central: bool = False  # seat of a central THC: a bigger township


@dataclass
class CountyFacts:
    """What later parts of the demo (projects, tasks) need to know about a county."""

    name: str
    code6: str
    division_id: int
    hospital_id: int
    tcm_hospital_id: int
    mch_id: int
    cdc_id: int
    townships: list[Township]
    centres: list[int]
    staff_count: int = 0


def _years_between(a: dt.date, b: dt.date) -> float:
    return (b - a).days / 365.25


class CountyBuilder:
    def __init__(
        self, rows: Rows, rng: random.Random, names: NameMaker, *, name: str, code6: str, parent_id: int, as_of: dt.date
    ) -> None:
        self.rows, self.rng, self.names = rows, rng, names
        self.name, self.code6, self.parent_id, self.as_of = name, code6, parent_id, as_of
        self.used_places: set[str] = set()
        self.used_ids: set[str] = set()
        self.rural_2026: dict[int, int] = {}
        self.hospitals: list[int] = []
        self.small_units: list[int] = []  # village clinics and community stations

    # --- divisions and population -------------------------------------------------

    def build(self) -> CountyFacts:
        county_id = self.rows.add(
            "divisions",
            code=self.code6 + "000000",
            name=self.name + "县",
            kind="county",
            parent_id=self.parent_id,
            remote=False,
        )
        townships = self._townships(county_id)
        facts = self._facilities(county_id, townships)
        facts.staff_count = self._all_staff(facts)
        return facts

    def _townships(self, county_id: int) -> list[Township]:
        rng = self.rng
        townships: list[Township] = []
        street_names = ["城关街道", "东城街道"]
        for i, street in enumerate(street_names):
            self.used_places.add(street[:2])
            div = self.rows.add(
                "divisions",
                code=f"{self.code6}{i + 1:03d}000",
                name=street,
                kind="street",
                parent_id=county_id,
                remote=False,
            )
            t = Township(div, street, True)
            for c in range(rng.randint(5, 7)):
                cid = self.rows.add(
                    "divisions",
                    code=f"{self.code6}{i + 1:03d}{c + 1:03d}",
                    name=self.names.place(self.used_places, "社区"),
                    kind="community",
                    parent_id=div,
                    remote=False,
                )
                self._population(cid, resident=rng.randint(4000, 9000), rural_share=(0.02, 0.15))
                t.villages.append(cid)
            for v in range(rng.randint(2, 4)):
                vid = self.rows.add(
                    "divisions",
                    code=f"{self.code6}{i + 1:03d}{200 + v + 1:03d}",
                    name=self.names.place(self.used_places, "村"),
                    kind="village",
                    parent_id=div,
                    remote=False,
                )
                self._population(vid, resident=int(rng.uniform(1200, 3000)), rural_share=(0.6, 0.85))
                t.villages.append(vid)
            townships.append(t)
        central = set(rng.sample(range(13), 3))
        for i in range(16):
            suffix = "乡" if i >= 13 else "镇"
            remote_township = i >= 13
            div = self.rows.add(
                "divisions",
                code=f"{self.code6}{101 + i:03d}000",
                name=self.names.place(self.used_places, suffix),
                kind="township",
                parent_id=county_id,
                remote=remote_township,
            )
            t = Township(div, self.rows.tables["divisions"][-1]["name"], False, central=i in central)
            for v in range(rng.randint(26, 31) if t.central else rng.randint(13, 19)):
                remote = remote_township or rng.random() < 0.08
                vid = self.rows.add(
                    "divisions",
                    code=f"{self.code6}{101 + i:03d}{200 + v + 1:03d}",
                    name=self.names.place(self.used_places, "村"),
                    kind="village",
                    parent_id=div,
                    remote=remote,
                )
                # Log-normal sizes: most villages 1,000-2,500 people, some under 1,000.
                resident = int(min(6000, max(350, rng.lognormvariate(math.log(1150), 0.5))))
                self._population(vid, resident=resident, rural_share=(0.85, 0.98))
                t.villages.append(vid)
            townships.append(t)
        return townships

    def _population(self, division_id: int, *, resident: int, rural_share: tuple[float, float]) -> None:
        rng = self.rng
        share = rng.uniform(*rural_share)
        trend = rng.uniform(-0.02, 0.005)  # rural depopulation, a little growth in places
        for k, year in enumerate(POPULATION_YEARS):
            res = int(resident * (1 + trend) ** k)
            self.rows.add(
                "division_populations",
                division_id=division_id,
                year=year,
                resident=res,
                registered=int(res * rng.uniform(1.0, 1.15)),
                rural=int(res * share),
                aged_65_plus=int(res * rng.uniform(0.12, 0.2)),
                aged_0_3=int(res * rng.uniform(0.02, 0.035)),
            )
        self.rural_2026[division_id] = int(res * share)

    def _rural(self, division_ids: list[int]) -> int:
        return sum(self.rural_2026[d] for d in division_ids)

    # --- facilities ---------------------------------------------------------------

    def _facility(self, **values: object) -> int:
        rng = self.rng
        kind = values["kind"]
        public = values.get("ownership", "public") == "public"
        if kind != "village_clinic" or rng.random() < 0.15:
            registrar = "12" if public else "52"
            values.setdefault("credit_code", make_credit_code(registrar, self.code6, rng))
        values.setdefault("licence_no", f"PDY{rng.randint(10**7, 10**8 - 1)}{self.code6}{rng.randint(1000, 9999)}")
        values.setdefault("ownership", "public")
        values.setdefault("status", "operating")
        for key in ("approved_beds", "open_beds", "elderly_care_beds", "tcm_beds"):
            values.setdefault(key, 0)
        values.setdefault("tcm_hall", "none")
        values.setdefault("provides_tcm", False)
        values.setdefault("standardised", False)
        values.setdefault("accreditation", "none")
        values.setdefault("phone", f"0873-{rng.randint(2000000, 8999999)}")
        for key in (
            "credit_code",
            "grade",
            "lead_facility_id",
            "group_name",
            "building_ownership",
            "status_reason",
            "status_date",
            "building_area",
            "address",
        ):
            values.setdefault(key, None)
        return self.rows.add("facilities", **values)

    def _equipment(self, facility_id: int, items: dict[str, float]) -> None:
        for item, chance in items.items():
            if self.rng.random() < chance:
                qty = 1 if item != "ambulance" else self.rng.choice((1, 1, 2))
                self.rows.add("facility_equipment", facility_id=facility_id, item=item, quantity=qty)

    def _facilities(self, county_id: int, townships: list[Township]) -> CountyFacts:
        rng, county = self.rng, self.name + "县"
        group = f"{county}紧密型医疗共同体"
        hospital = self._facility(
            name=f"{county}人民医院",
            kind="county_hospital",
            grade="二级甲等",
            division_id=townships[0].division_id,
            group_name=group,
            approved_beds=900,
            open_beds=860 + rng.randint(-40, 40),
            tcm_beds=40,
            building_area=68000.0,
            tcm_hall="none",
            provides_tcm=True,
        )
        self._equipment(hospital, {"ambulance": 1, "dr": 1, "colour_ultrasound": 1, "biochem_analyser": 1})
        tcm = self._facility(
            name=f"{county}中医医院",
            kind="county_tcm_hospital",
            grade="二级甲等",
            division_id=townships[0].division_id,
            group_name=f"{county}中医医疗集团",
            approved_beds=450,
            open_beds=420 + rng.randint(-30, 30),
            tcm_beds=330,
            building_area=32000.0,
            provides_tcm=True,
        )
        self._equipment(tcm, {"ambulance": 1, "dr": 1, "colour_ultrasound": 1, "biochem_analyser": 1})
        mch = self._facility(
            name=f"{county}妇幼保健院",
            kind="mch_hospital",
            grade="二级乙等",
            division_id=townships[1].division_id,
            approved_beds=200,
            open_beds=180 + rng.randint(-20, 20),
            building_area=15000.0,
        )
        cdc = self._facility(
            name=f"{county}疾病预防控制中心", kind="cdc", division_id=townships[1].division_id, building_area=5200.0
        )
        for label, beds in (("仁爱医院", 380), ("康宁医院", 260)):
            self.hospitals.append(
                self._facility(
                    name=f"{county}{label}",
                    kind="private_hospital",
                    ownership="private",
                    grade="一级",
                    division_id=townships[rng.randint(0, 1)].division_id,
                    approved_beds=beds,
                    open_beds=beds - rng.randint(0, 40),
                    building_area=float(beds * 60),
                )
            )

        centres: list[int] = []
        for i, t in enumerate(townships):
            centre = self._centre(t, central=t.central, lead=hospital if i % 4 else tcm, group=group)
            t.centre_id = centre
            centres.append(centre)
            self._clinics(t, centre)
        return CountyFacts(self.name, self.code6, county_id, hospital, tcm, mch, cdc, townships, centres)

    def _centre(self, t: Township, *, central: bool, lead: int, group: str) -> int:
        rng = self.rng
        rural = self._rural(t.villages)
        if t.street:
            kind, name = "chsc", f"{t.name.removesuffix('街道')}社区卫生服务中心"
        else:
            kind = "central_thc" if central else "thc"
            base = t.name[:-1]
            name = f"{base}中心卫生院" if central else f"{base}{t.name[-1]}卫生院"
        cap = 150 if central else 100
        lower = min(cap, max(20, 0.6 * rural / 1000))
        upper = min(cap, max(20, 1.2 * rural / 1000))
        verdict = rng.random()
        if verdict < 0.15:
            beds = max(0, int(lower) - rng.randint(3, 10))  # under-provided
        elif verdict < 0.25:
            beds = int(upper) + rng.randint(3, 25)  # over-provided
        else:
            beds = rng.randint(math.ceil(lower), max(math.ceil(lower), int(upper)))
        elderly = rng.choice((0, 0, 0, 5, 10)) if not t.street else 0
        beds = max(0, beds - elderly)
        hall = "model_hall" if central and rng.random() < 0.5 else ("hall" if rng.random() < 0.85 else "none")
        centre = self._facility(
            name=name,
            kind=kind,
            division_id=t.division_id,
            lead_facility_id=lead,
            group_name=group,
            approved_beds=beds + rng.randint(0, 20),
            open_beds=beds,
            elderly_care_beds=elderly,
            tcm_beds=min(beds, rng.randint(0, 8)),
            building_area=float(rng.randint(1800, 6500)),
            tcm_hall=hall,
            provides_tcm=hall != "none",
            accreditation=rng.choice(
                ("basic", "basic", "recommended", "none") if kind != "chsc" else ("basic", "community_hospital")
            ),
        )
        self._equipment(centre, {"ambulance": 0.9, "dr": 0.9, "colour_ultrasound": 0.95, "biochem_analyser": 0.8})
        for year in POPULATION_YEARS:
            roll = rng.random()
            if roll < 0.06:
                continue  # not recorded
            amount = rng.choice((5.0, 6.0, 8.0)) if roll < 0.16 else float(rng.randint(10, 30))
            self.rows.add("special_funds", facility_id=centre, year=year, amount=amount, note="基础设施建设和设备更新")
        for vid in t.villages:
            self.rows.add("service_areas", facility_id=centre, division_id=vid)
        return centre

    def _clinics(self, t: Township, centre: int) -> None:
        rng = self.rng
        villages = [v for v in t.villages if self.rows.get("divisions", v)["kind"] == "village"]
        communities = [v for v in t.villages if self.rows.get("divisions", v)["kind"] == "community"]
        i = 0
        while i < len(villages):
            vid = villages[i]
            roll = rng.random()
            if roll < 0.04:  # no clinic: the village is served by nobody (a gap the checks find)
                i += 1
                continue
            served = [vid]
            if roll < 0.10 and i + 1 < len(villages):  # one clinic for two neighbouring villages
                served.append(villages[i + 1])
                i += 1
            i += 1
            vname = self.rows.get("divisions", vid)["name"]
            building = rng.choices(("public", "village", "rented_private"), weights=(68, 22, 10))[0]
            clinic = self._facility(
                name=f"{t.name}{vname}卫生室",
                kind="village_clinic",
                division_id=vid,
                lead_facility_id=centre,
                building_ownership=building,
                building_area=float(rng.randint(60, 220)),
                standardised=building != "rented_private" and rng.random() < 0.93,
                provides_tcm=rng.random() < 0.78,
            )
            self._equipment(clinic, {"checkup_machine": 0.92, "simple_resuscitator": 0.94})
            self.small_units.append(clinic)
            for s in served:
                self.rows.add("service_areas", facility_id=clinic, division_id=s)
        for cid in communities:
            if rng.random() < 0.7:
                station = self._facility(
                    name=f"{self.rows.get('divisions', cid)['name'].removesuffix('社区')}社区卫生服务站",
                    kind="chs_station",
                    division_id=cid,
                    lead_facility_id=centre,
                    building_area=float(rng.randint(120, 400)),
                    provides_tcm=rng.random() < 0.7,
                )
                self.rows.add("service_areas", facility_id=station, division_id=cid)
                self.small_units.append(station)

    # --- staff --------------------------------------------------------------------

    def _all_staff(self, facts: CountyFacts) -> int:
        before = self.rows.count("staff")
        mix_hospital = {
            "physician": 33,
            "assistant_physician": 3,
            "nurse": 44,
            "pharmacist": 5,
            "technician": 7,
            "other_technical": 2,
            "admin": 3,
            "logistics": 3,
        }
        self._staff_for(facts.hospital_id, 770, mix_hospital, tcm_share=0.06, psychiatrists=5)
        self._staff_for(facts.tcm_hospital_id, 330, mix_hospital, tcm_share=0.7)
        self._staff_for(facts.mch_id, 170, mix_hospital, tcm_share=0.05)
        self._staff_for(facts.cdc_id, 70, {"public_health": 72, "technician": 14, "admin": 14}, tcm_share=0)
        for hid in self.hospitals:
            beds = self.rows.get("facilities", hid)["open_beds"]
            self._staff_for(hid, beds // 3, mix_hospital, tcm_share=0.08, private=True)
        mix_centre = {
            "physician": 28,
            "assistant_physician": 10,
            "nurse": 30,
            "pharmacist": 6,
            "technician": 10,
            "public_health": 8,
            "admin": 4,
            "logistics": 4,
        }
        for centre in facts.centres:
            f = self.rows.get("facilities", centre)
            n = {"central_thc": 52, "chsc": 38}.get(f["kind"], 26) + self.rng.randint(-4, 6)
            self._staff_for(centre, n, mix_centre, tcm_share=0.22, gp_share=0.4, directed_share=0.08)
        for unit in self.small_units:
            self._village_staff(self.rows.get("facilities", unit))
        self._loans(facts)
        return self.rows.count("staff") - before

    def _birth(self, low: int, high: int) -> dt.date:
        age_days = self.rng.randint(low * 365, high * 365)
        return self.as_of - dt.timedelta(days=age_days)

    def _person(self, facility_id: int, category: str, birth: dt.date, **values: object) -> int:
        rng = self.rng
        sex = values.pop("sex", None) or ("F" if category == "nurse" and rng.random() < 0.94 else rng.choice("MF"))
        area = self.code6 if rng.random() < 0.72 else rng.choice(OTHER_AREA_CODES)
        while True:
            number = make_id_number(area, birth, sex, rng.randint(0, 499))
            if number not in self.used_ids:
                self.used_ids.add(number)
                break
        earliest_hire = birth + dt.timedelta(days=int(365.25 * rng.randint(19, 24)))
        hire = earliest_hire + dt.timedelta(days=rng.randint(0, max(1, (self.as_of - earliest_hire).days)))
        hire = min(hire, self.as_of)
        values.setdefault("hire_date", hire)
        row = dict(
            name=self.names.person(sex),
            sex=sex,
            id_number=number,
            id_key=number,  # its lookup key: the number itself, or its keyed hash once sealed (db.vault)
            birth_date=birth,
            facility_id=facility_id,
            category=category,
            practice_category=None,
            gp_registered=False,
            psychiatry_registered=False,
            title="none",
            education="bachelor",
            education_full_time=True,
            education_medical=True,
            employment_form="establishment",
            directed_graduate=False,
            directed_service_until=None,
            status="on_post",
            status_reason=None,
            status_date=None,
            liability_insured=None,
            phone=f"1{rng.choice('3589')}{rng.randint(10**8, 10**9 - 1)}",
        )
        row.update(values)
        return self.rows.add("staff", **row)

    def _title(self, age: int, category: str) -> str:
        if category in ("admin", "logistics"):
            return "none"
        r = self.rng.random() + (age - 40) / 60
        if r < 0.25:
            return "junior_assistant"
        if r < 0.65:
            return "junior"
        if r < 1.0:
            return "intermediate"
        if r < 1.2:
            return "associate_senior"
        return "senior"

    def _staff_for(
        self,
        facility_id: int,
        n: int,
        mix: dict[str, int],
        *,
        tcm_share: float,
        gp_share: float = 0.04,
        directed_share: float = 0.0,
        psychiatrists: int = 0,
        private: bool = False,
    ) -> None:
        rng = self.rng
        cats = rng.choices(list(mix), weights=list(mix.values()), k=n)
        for category in cats:
            birth = self._birth(23, 59)
            age = int(_years_between(birth, self.as_of))
            values: dict[str, object] = {"title": self._title(age, category)}
            if category in ("physician", "assistant_physician"):
                values["practice_category"] = rng.choices(
                    ("clinical", "tcm", "dental", "public_health"),
                    weights=(1 - tcm_share - 0.06, tcm_share, 0.04, 0.02),
                )[0]
                values["gp_registered"] = values["practice_category"] == "clinical" and rng.random() < gp_share
                if psychiatrists and values["practice_category"] == "clinical" and category == "physician":
                    values["psychiatry_registered"] = True
                    psychiatrists -= 1
            values["education"] = rng.choices(
                ("master", "bachelor", "college", "secondary"), weights=(6, 48, 34, 12) if age < 45 else (2, 30, 40, 28)
            )[0]
            values["education_full_time"] = rng.random() < 0.72
            values["education_medical"] = category not in ("admin", "logistics") or rng.random() < 0.2
            if private:
                values["employment_form"] = "contract"
            else:
                values["employment_form"] = rng.choices(("establishment", "contract"), weights=(72, 28))[0]
            if directed_share and age < 32 and rng.random() < directed_share * 3:
                values["directed_graduate"] = True
                values["education"] = rng.choice(("bachelor", "college"))
                values["education_full_time"] = True
            person = self._person(facility_id, category, birth, **values)
            staff = self.rows.tables["staff"][-1]
            if staff["directed_graduate"]:
                staff["directed_service_until"] = (
                    staff["hire_date"].replace(year=staff["hire_date"].year + 6)
                    if staff["hire_date"].month != 2 or staff["hire_date"].day != 29
                    else staff["hire_date"]
                )
            self._maybe_leave(staff)
            if category in ("physician", "nurse") and rng.random() < 0.25:
                self._training(person, "on_post", days=rng.randint(3, 10))

    def _maybe_leave(self, staff: dict) -> None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.015:
            staff.update(status="left", status_reason=rng.choice(("辞职", "解除聘用合同", "考取研究生")))
        elif roll < 0.025:
            staff.update(status="transferred", status_reason="调往县外医疗机构")
        elif roll < 0.03:
            staff.update(status="retired", status_reason="到龄退休")
        if staff["status"] != "on_post":
            hire = staff["hire_date"]
            staff["status_date"] = hire + dt.timedelta(days=rng.randint(0, max(0, (self.as_of - hire).days)))

    def _village_staff(self, clinic: dict) -> None:
        rng = self.rng
        station = clinic["kind"] == "chs_station"
        n = rng.choices((1, 2, 3), weights=(45, 42, 13))[0]
        for _ in range(n):
            old = rng.random() < 0.16
            birth = self._birth(60, 71) if old else self._birth(26, 59)
            age = int(_years_between(birth, self.as_of))
            if station or rng.random() < 0.18:
                category = (
                    rng.choice(("assistant_physician", "physician", "nurse")) if station else "assistant_physician"
                )
            else:
                category = "village_doctor"
            form = "township_for_village" if rng.random() < 0.35 else "contract"
            if age >= 60 and rng.random() < 0.55:
                form = "rehired"
            values = dict(
                title="none" if category == "village_doctor" else self._title(age, category),
                education=rng.choices(("college", "secondary", "high_school"), weights=(30, 55, 15))[0],
                education_full_time=rng.random() < 0.4,
                employment_form=form,
                liability_insured=rng.random() < 0.9,
                practice_category=("tcm" if rng.random() < 0.25 else "clinical")
                if category in ("physician", "assistant_physician")
                else None,
            )
            if age >= 60 and form != "rehired" and rng.random() < 0.3:
                values.update(
                    status="retired",
                    status_reason="年满60周岁退出村医岗位",
                    status_date=self.as_of - dt.timedelta(days=rng.randint(10, 300)),
                )
            person = self._person(clinic["id"], category, birth, **values)
            self._village_trainings(person)

    def _training(
        self, staff_id: int, kind: str, *, days: int, start: dt.date | None = None, place: str | None = None
    ) -> None:
        rng = self.rng
        if start is None:
            start = self.as_of - dt.timedelta(days=rng.randint(days, 900))
        # A person attends one training of a kind starting on a day (the import's key): a second draw of the
        # same day moves on by a day, drawing nothing more, so the rest of the county stays as it was.
        taken = self.__dict__.setdefault("_training_starts", set())
        while (staff_id, kind, start) in taken:
            start += dt.timedelta(days=1)
        taken.add((staff_id, kind, start))
        end = start + dt.timedelta(days=days - 1)
        self.rows.add(
            "trainings",
            staff_id=staff_id,
            kind=kind,
            start_date=start,
            end_date=end,
            days=days,
            place=place or rng.choice((f"{self.name}县人民医院", "州医学培训中心", f"{self.name}县卫生健康局")),
            free_of_charge=True,
        )

    def _village_trainings(self, staff_id: int) -> None:
        """Most village doctors meet the yearly norm (2 free trainings, 2 weeks) in both years; some do not."""
        rng = self.rng
        for year in (self.as_of.year - 1, self.as_of.year):
            year_start = dt.date(year, 1, 1)
            span = (min(self.as_of, dt.date(year, 12, 31)) - year_start).days
            if rng.random() < 0.82:
                days = rng.choice(((7, 7), (5, 10), (7, 10), (5, 5, 5), (3, 7, 7)))
            else:
                days = rng.choice(((), (5,), (7,), (3, 5), (5, 7)))
            for d in days:
                start = year_start + dt.timedelta(days=rng.randint(0, max(0, span - d)))
                self._training(staff_id, "on_post", days=d, start=start)
        if rng.random() < 0.8:
            start = self.as_of - dt.timedelta(days=rng.randint(60, 5 * 365 - 40))
            self._training(
                staff_id,
                "full_time_study",
                days=rng.choice((30, 45, 60, 90)),
                start=start,
                place=rng.choice((f"{self.name}县人民医院", f"{self.name}县中医医院")),
            )

    def _loans(self, facts: CountyFacts) -> None:
        rng = self.rng
        centre_staff = [
            s
            for s in self.rows.tables["staff"]
            if s["facility_id"] in set(facts.centres)
            and s["status"] == "on_post"
            and s["category"] in ("physician", "nurse", "technician")
        ]
        for s in rng.sample(centre_staff, min(len(centre_staff), 12)):
            start = self.as_of - dt.timedelta(days=rng.randint(30, 400))
            months = rng.choice((3, 3, 6, 6, 12))
            end = start + dt.timedelta(days=30 * months)
            to = rng.choice((facts.hospital_id, facts.tcm_hospital_id))
            to_name = self.rows.get("facilities", to)["name"]
            self.rows.add(
                "staff_loans",
                staff_id=s["id"],
                from_facility_id=s["facility_id"],
                to_facility_id=to,
                to_unit=to_name,
                start_date=start,
                end_date=end if rng.random() < 0.8 else None,
                reason=rng.choice(("医共体内上挂进修", "支援县级医院业务", "借调参与专项工作")),
                # most on a written request; chosen by the person, not by rng, so that the rest of the demo is as it was
                approval=f"{self.name}县委组织部商借函〔{start.year}〕{s['id'] % 40 + 1}号" if s["id"] % 5 else None,
            )
