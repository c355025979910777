"""The county profile: it names the database's area and fills the footers of what goes out."""

from __future__ import annotations

from desktop.profile import load_profile, save_profile


def test_a_blank_database_gets_its_county_from_the_profile(db):
    with db.session() as s:
        assert (
            save_profile(
                s,
                bureau_name="白沙县卫生健康局",
                head_of_unit="张三",
                preparer="李四",
                phone="0871 6512345",
                user="测试",
                area_name="白沙县",
                division_code="530102",
            )
            == {}
        )
        s.commit()
    with db.session() as s:
        p = load_profile(s)
    assert (p.area_name, p.division_code, p.phone) == ("白沙县", "530102000000", "08716512345")


def test_bad_profile_values_are_refused_by_field(db):
    with db.session() as s:
        errors = save_profile(
            s,
            bureau_name=" ",
            head_of_unit=None,
            preparer=None,
            phone="12345",
            user="测试",
            area_name="",
            division_code="5301021",
        )
    assert set(errors) == {"bureau_name", "phone", "division_code", "area_name"}
    with db.session() as s:
        errors = save_profile(
            s,
            bureau_name="局",
            head_of_unit=None,
            preparer=None,
            phone=None,
            user="测试",
            area_name="某镇",
            division_code="530102100000",
        )
    assert "本县" in errors["division_code"]


def test_the_demo_profile_keeps_its_county(demo_db):
    with demo_db.session() as s:
        before = load_profile(s)
        assert (
            save_profile(
                s,
                bureau_name=before.bureau_name,
                head_of_unit="王五",
                preparer=before.preparer,
                phone=before.phone,
                user="测试",
                area_name="清溪县",
                division_code=before.division_code[:6],
            )
            == {}
        )
        s.commit()
        after = load_profile(s)
    assert (after.division_id, after.head_of_unit) == (before.division_id, "王五")


def test_names_heading_every_form_refuse_invisible_characters(db):
    with db.session() as s:
        errors = save_profile(
            s, bureau_name="清溪县卫生健康局\x00", head_of_unit="王\u202e五", preparer="李华", phone=None, user="测试"
        )
    assert set(errors) == {"bureau_name", "head_of_unit"}
    assert "文字方向控制符 U+202E" in errors["head_of_unit"]


def test_the_reports_letterhead_is_kept_until_given_again_and_a_long_one_is_refused(db):
    base = dict(bureau_name="白沙县卫生健康局", head_of_unit="张三", preparer=None, phone=None, user="测试")
    with db.session() as s:
        assert save_profile(s, **base, doc_prefix="白卫健", report_addressee="县人民政府：") == {}
        s.commit()
    with db.session() as s:
        assert save_profile(s, **base) == {}  # the first-day setup saves the profile without the letterhead
        s.commit()
        p = load_profile(s)
    assert (p.doc_prefix, p.report_addressee) == ("白卫健", "县人民政府")  # its colon is the report's to add
    assert p.doc_number_for(2026) == "白卫健〔2026〕　　号"
    with db.session() as s:
        errors = save_profile(s, **base, doc_prefix="白" * 21, report_addressee="")
    assert errors == {"doc_prefix": "“机关代字”最多 20 个字，现为 21 个字"}
    with db.session() as s:
        assert save_profile(s, **base, doc_prefix="", report_addressee="") == {}
        s.commit()
        p = load_profile(s)
    assert (p.doc_prefix, p.report_addressee, p.doc_number_for(2026)) == (None, None, "")
