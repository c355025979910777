"""Every model of CountyHealth Desk; importing this registers them all on ``Base.metadata``."""

from db.models.base import Base
from db.models.divisions import Division, DivisionPopulation
from db.models.exchange import ExchangeIdentity, ExchangeReceipt, ExchangeReceiver, ExchangeSender
from db.models.facilities import Facility, FacilityEquipment, ServiceArea
from db.models.funds import SpecialFund
from db.models.history import Change
from db.models.imports import ImportMapping
from db.models.indicators import Indicator, IndicatorValue, Plan
from db.models.norms import NormRule, NormVersion
from db.models.profile import CountyProfile, FormBlock
from db.models.projects import Project, ProjectFunding, ProjectUpdate
from db.models.staff import StaffLoan, StaffMember, Training
from db.models.submissions import Submission
from db.models.tasks import KeyTask, TaskCooperatingUnit, TaskUpdate
from db.models.users import User, VaultState

__all__ = [
    "Base",
    "Change",
    "ExchangeIdentity",
    "ExchangeReceipt",
    "ExchangeReceiver",
    "ExchangeSender",
    "CountyProfile",
    "FormBlock",
    "Division",
    "DivisionPopulation",
    "Facility",
    "FacilityEquipment",
    "ImportMapping",
    "Indicator",
    "IndicatorValue",
    "Plan",
    "KeyTask",
    "NormRule",
    "NormVersion",
    "Project",
    "ProjectFunding",
    "ProjectUpdate",
    "ServiceArea",
    "SpecialFund",
    "StaffLoan",
    "StaffMember",
    "Submission",
    "TaskCooperatingUnit",
    "TaskUpdate",
    "Training",
    "User",
    "VaultState",
]
