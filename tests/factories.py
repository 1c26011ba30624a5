"""factory_boy factories for the foundation models (Vietnamese fake names)."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from cchc.accounts.models import RoleAssignment, User
from cchc.organizations.models import Group, Staff, Unit, UnitKind


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit
        skip_postgeneration_save = True

    kind = UnitKind.SCHOOL
    name = factory.Sequence(lambda n: f"Trường THCS Thử nghiệm {n}")
    short_name = factory.LazyAttribute(lambda u: u.name.replace("Trung học cơ sở", "THCS"))
    code = factory.Sequence(lambda n: f"000.99.{n:02d}.H29")
    symbol = factory.Sequence(lambda n: f"THCSTN{n}")
    parent = None
    path = ""

    @factory.post_generation
    def set_path(obj, create, extracted, **kwargs):
        prefix = obj.parent.path if obj.parent_id else ""
        obj.path = f"{prefix}{obj.pk:06d}."
        if create:
            obj.save(update_fields=["path"])


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    password = factory.django.Password("MatKhau@2026")
    email = factory.LazyAttribute(lambda u: f"{u.username}@truong.example")


class GroupFactory(DjangoModelFactory):
    class Meta:
        model = Group

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"Tổ chuyên môn {n}")


class StaffFactory(DjangoModelFactory):
    class Meta:
        model = Staff
        skip_postgeneration_save = True

    unit = factory.SubFactory(UnitFactory)
    full_name = factory.Faker("name", locale="vi_VN")
    position = "Giáo viên"
    email = factory.Sequence(lambda n: f"gv{n}@truong.example")
    phone = factory.Sequence(lambda n: f"0912 000 {n:03d}")
    user = factory.SubFactory(UserFactory)

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        for role in extracted or []:
            RoleAssignment.objects.create(staff=obj, role=role)
