from motcua.catalog.services import catalog_import


def procedure_record(code="1.001193", name="Đăng ký khai sinh", **overrides) -> dict:
    """One valid import record; tests override what they are about."""
    record = {
        "code": code,
        "name": name,
        "fields": ["Hộ tịch"],
        "agency_levels": ["xa"],
        "processing_time": "3",
        "time_unit": "working_days",
        "online_level": "full",
        "documents": [{"name": "Tờ khai", "originals": 1, "copies": 0}],
        "fees": [{"description": "Lệ phí", "amount": 8000}],
        "steps": [
            {"name": "Tiếp nhận", "role": "desk_officer", "budget_hours": "4"},
            {"name": "Thẩm định", "role": "specialist", "budget_hours": "12"},
            {"name": "Ký duyệt", "role": "agency_leader", "budget_hours": "4"},
        ],
    }
    record.update(overrides)
    return record


def publish(*records: dict):
    return catalog_import(records=list(records))
