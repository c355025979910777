"""Records as the clerk sees them: their field descriptions, and editing through them."""

from desktop.records.fields import Field
from desktop.records.types import FACILITY, POPULATION, PROJECT, RECORD_TYPES, STAFF, TASK, RecordType

__all__ = ["FACILITY", "POPULATION", "PROJECT", "RECORD_TYPES", "STAFF", "TASK", "Field", "RecordType"]
