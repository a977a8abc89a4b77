"""The place name (địa danh) a paper writes before its date (ND 30/2020)."""

import pytest

from motcua.agencies.models import Agency


@pytest.mark.django_db
def test_the_place_is_the_committees_unit_without_its_kind_or_the_one_set(levels):
    province = Agency.objects.create(code="P", name="Ủy ban nhân dân tỉnh Quảng Trị",
                                     level=levels["tinh"])  # fmt: skip
    department = Agency.objects.create(code="S", name="Sở Tư pháp", level=levels["tinh"],
                                       parent=province)  # fmt: skip
    town = Agency.objects.create(code="T", name="UBND  thị trấn Khe Sanh", level=levels["xa"],
                                 parent=province)  # fmt: skip
    city = Agency.objects.create(code="C", name="Uỷ ban nhân dân thành phố Đông Hà",
                                 level=levels["xa"], parent=province)  # fmt: skip
    police = Agency.objects.create(code="X", name="Công an xã", level=levels["xa"])
    assert [a.place() for a in (province, department, town, city, police)] == [
        "Quảng Trị",
        "Quảng Trị",  # a Sở writes its province's name
        "Khe Sanh",
        "Đông Hà",
        "",  # nothing to go by: the date alone
    ]
    police.place_name = "Hướng Hóa"
    assert police.place() == "Hướng Hóa"
