"""A desk floor for tests: two services and three counters at the named desk officer's desk."""

from __future__ import annotations

from dataclasses import dataclass

from motcua.agencies.models import Desk
from motcua.tickets.models import Counter, Service


@dataclass
class Floor:
    desk: Desk
    civil: Service  # Hộ tịch
    land: Service  # Đất đai
    both: Counter  # quầy 1: hộ tịch and đất đai
    civil_only: Counter  # quầy 2
    land_only: Counter  # quầy 3


def floor_for(desk: Desk) -> Floor:
    civil = Service.objects.create(desk=desk, code="ho-tich", name="Hộ tịch", order=1)
    land = Service.objects.create(
        desk=desk, code="dat-dai", name="Đất đai", order=2, average_minutes=20
    )
    counters = []
    for number, services in [(1, [civil, land]), (2, [civil]), (3, [land])]:
        counter = Counter.objects.create(desk=desk, number=number)
        counter.services.set(services)
        counters.append(counter)
    return Floor(desk, civil, land, *counters)
