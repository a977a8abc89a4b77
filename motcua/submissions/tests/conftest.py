import pytest
from django.contrib.auth import get_user_model

from motcua.catalog.models import Procedure
from motcua.catalog.tests.factories import procedure_record, publish


@pytest.fixture
def version(levels):
    """A published "toàn trình" procedure with two required papers and an optional one:
    desk → tư pháp specialist → leader → desk."""
    publish(
        procedure_record(
            "1.001193",
            documents=[
                {"name": "Tờ khai đăng ký khai sinh", "originals": 1, "copies": 0},
                {"name": "Giấy chứng sinh", "originals": 1, "copies": 0},
                {"name": "Văn bản ủy quyền", "originals": 1, "copies": 0, "optional": True},
            ],
            steps=[
                {"name": "Tiếp nhận, chuyển xử lý", "role": "desk_officer", "budget_hours": "2"},
                {"name": "Thẩm định", "role": "specialist", "unit_function": "tu-phap",
                 "budget_hours": "12"},
                {"name": "Ký duyệt", "role": "agency_leader", "budget_hours": "4"},
                {"name": "Trả kết quả", "role": "desk_officer", "budget_hours": "2"},
            ],
        )
    )  # fmt: skip
    return Procedure.objects.get(code="1.001193").current_version


@pytest.fixture
def desk(desk_officer):
    return desk_officer.memberships.get().desk


@pytest.fixture
def other_citizen(db):
    return get_user_model().objects.create_user(username="em", password="pw-em")
