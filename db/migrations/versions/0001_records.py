"""records

Revision ID: 0001
Revises:
Create Date: 2026-11-23 17:00:05.050773
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('divisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('remote', sa.Boolean(), server_default='0', nullable=False),
    sa.CheckConstraint("kind IN ('city', 'county', 'township', 'street', 'village', 'community')", name=op.f('ck_divisions_kind')),
    sa.CheckConstraint('length(code) = 12', name=op.f('ck_divisions_code_length')),
    sa.CheckConstraint('length(trim(name)) > 0', name=op.f('ck_divisions_name_not_blank')),
    sa.ForeignKeyConstraint(['parent_id'], ['divisions.id'], name=op.f('fk_divisions_parent_id_divisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_divisions')),
    sa.UniqueConstraint('code', name=op.f('uq_divisions_code'))
    )
    with op.batch_alter_table('divisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_divisions_parent_id'), ['parent_id'], unique=False)

    op.create_table('indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('domain', sa.String(length=40), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('baseline_year', sa.Integer(), nullable=True),
    sa.Column('baseline_value', sa.Float(), nullable=True),
    sa.Column('target_year', sa.Integer(), nullable=True),
    sa.Column('target_value', sa.Float(), nullable=True),
    sa.Column('attribute', sa.String(length=20), nullable=False),
    sa.Column('direction', sa.String(length=20), nullable=False),
    sa.Column('computed_by', sa.String(length=40), nullable=True),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.CheckConstraint("attribute IN ('expected', 'binding', 'controlled')", name=op.f('ck_indicators_attribute')),
    sa.CheckConstraint("direction IN ('at_least', 'at_most')", name=op.f('ck_indicators_direction')),
    sa.CheckConstraint('length(trim(name)) > 0', name=op.f('ck_indicators_name_not_blank')),
    sa.CheckConstraint('target_year IS NULL OR baseline_year IS NULL OR target_year > baseline_year', name=op.f('ck_indicators_years_in_order')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicators')),
    sa.UniqueConstraint('code', name=op.f('uq_indicators_code'))
    )
    op.create_table('key_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ledger', sa.String(length=200), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('content', sa.Text(), nullable=True),
    sa.Column('source_document', sa.String(length=200), nullable=True),
    sa.Column('lead_unit', sa.String(length=100), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('phase', sa.String(length=60), nullable=True),
    sa.Column('status', sa.String(length=20), server_default='not_started', nullable=False),
    sa.Column('struck_off_note', sa.Text(), nullable=True),
    sa.CheckConstraint("status <> 'struck_off' OR length(trim(coalesce(struck_off_note, ''))) > 0", name=op.f('ck_key_tasks_struck_off_needs_note')),
    sa.CheckConstraint("status IN ('not_started', 'in_progress', 'done', 'struck_off')", name=op.f('ck_key_tasks_status')),
    sa.CheckConstraint('length(trim(lead_unit)) > 0', name=op.f('ck_key_tasks_lead_unit_not_blank')),
    sa.CheckConstraint('length(trim(title)) > 0', name=op.f('ck_key_tasks_title_not_blank')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_key_tasks')),
    sa.UniqueConstraint('ledger', 'number', name=op.f('uq_key_tasks_ledger_number'))
    )
    op.create_table('division_populations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('resident', sa.Integer(), nullable=False),
    sa.Column('registered', sa.Integer(), nullable=True),
    sa.Column('rural', sa.Integer(), nullable=True),
    sa.Column('aged_65_plus', sa.Integer(), nullable=True),
    sa.Column('aged_0_3', sa.Integer(), nullable=True),
    sa.CheckConstraint('aged_0_3 IS NULL OR (aged_0_3 >= 0 AND aged_0_3 <= resident)', name=op.f('ck_division_populations_infants_in_resident')),
    sa.CheckConstraint('aged_65_plus IS NULL OR (aged_65_plus >= 0 AND aged_65_plus <= resident)', name=op.f('ck_division_populations_aged_in_resident')),
    sa.CheckConstraint('registered IS NULL OR registered >= 0', name=op.f('ck_division_populations_registered_not_negative')),
    sa.CheckConstraint('resident >= 0', name=op.f('ck_division_populations_resident_not_negative')),
    sa.CheckConstraint('rural IS NULL OR (rural >= 0 AND rural <= resident)', name=op.f('ck_division_populations_rural_in_resident')),
    sa.CheckConstraint('year BETWEEN 1949 AND 2100', name=op.f('ck_division_populations_year_range')),
    sa.ForeignKeyConstraint(['division_id'], ['divisions.id'], name=op.f('fk_division_populations_division_id_divisions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_division_populations')),
    sa.UniqueConstraint('division_id', 'year', name=op.f('uq_division_populations_division_id_year'))
    )
    op.create_table('facilities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('grade', sa.String(length=20), nullable=True),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.Column('lead_facility_id', sa.Integer(), nullable=True),
    sa.Column('group_name', sa.String(length=100), nullable=True),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('licence_no', sa.String(length=60), nullable=True),
    sa.Column('ownership', sa.String(length=20), server_default='public', nullable=False),
    sa.Column('building_ownership', sa.String(length=20), nullable=True),
    sa.Column('status', sa.String(length=20), server_default='operating', nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('status_date', sa.Date(), nullable=True),
    sa.Column('approved_beds', sa.Integer(), server_default='0', nullable=False),
    sa.Column('open_beds', sa.Integer(), server_default='0', nullable=False),
    sa.Column('elderly_care_beds', sa.Integer(), server_default='0', nullable=False),
    sa.Column('tcm_beds', sa.Integer(), server_default='0', nullable=False),
    sa.Column('building_area', sa.Float(), nullable=True),
    sa.Column('tcm_hall', sa.String(length=20), server_default='none', nullable=False),
    sa.Column('standardised', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('accreditation', sa.String(length=30), server_default='none', nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.CheckConstraint("accreditation IN ('none', 'basic', 'recommended', 'community_hospital')", name=op.f('ck_facilities_accreditation')),
    sa.CheckConstraint("building_ownership IS NULL OR building_ownership IN ('public', 'village', 'rented_private')", name=op.f('ck_facilities_building_ownership')),
    sa.CheckConstraint("kind IN ('county_hospital', 'county_tcm_hospital', 'mch_hospital', 'cdc', 'psychiatric_hospital', 'private_hospital', 'central_thc', 'thc', 'chsc', 'chs_station', 'village_clinic')", name=op.f('ck_facilities_kind')),
    sa.CheckConstraint("ownership IN ('public', 'private')", name=op.f('ck_facilities_ownership')),
    sa.CheckConstraint("status <> 'closed' OR length(trim(coalesce(status_reason, ''))) > 0", name=op.f('ck_facilities_closed_needs_reason')),
    sa.CheckConstraint("status IN ('operating', 'suspended', 'closed', 'building')", name=op.f('ck_facilities_status')),
    sa.CheckConstraint("tcm_hall IN ('none', 'hall', 'model_hall')", name=op.f('ck_facilities_tcm_hall')),
    sa.CheckConstraint('approved_beds >= 0', name=op.f('ck_facilities_approved_beds_not_negative')),
    sa.CheckConstraint('building_area IS NULL OR building_area >= 0', name=op.f('ck_facilities_area_not_negative')),
    sa.CheckConstraint('credit_code IS NULL OR length(credit_code) = 18', name=op.f('ck_facilities_credit_code_length')),
    sa.CheckConstraint('elderly_care_beds >= 0', name=op.f('ck_facilities_elderly_beds_not_negative')),
    sa.CheckConstraint('lead_facility_id IS NULL OR lead_facility_id <> id', name=op.f('ck_facilities_not_own_lead')),
    sa.CheckConstraint('length(trim(name)) > 0', name=op.f('ck_facilities_name_not_blank')),
    sa.CheckConstraint('open_beds >= 0', name=op.f('ck_facilities_open_beds_not_negative')),
    sa.ForeignKeyConstraint(['division_id'], ['divisions.id'], name=op.f('fk_facilities_division_id_divisions')),
    sa.ForeignKeyConstraint(['lead_facility_id'], ['facilities.id'], name=op.f('fk_facilities_lead_facility_id_facilities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facilities')),
    sa.UniqueConstraint('credit_code', name=op.f('uq_facilities_credit_code'))
    )
    with op.batch_alter_table('facilities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_facilities_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_facilities_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_facilities_lead_facility_id'), ['lead_facility_id'], unique=False)

    op.create_table('indicator_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_indicator_values_indicator_id_indicators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_values')),
    sa.UniqueConstraint('indicator_id', 'year', name=op.f('uq_indicator_values_indicator_id_year'))
    )
    op.create_table('task_cooperating_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.CheckConstraint('length(trim(unit)) > 0', name=op.f('ck_task_cooperating_units_unit_not_blank')),
    sa.ForeignKeyConstraint(['task_id'], ['key_tasks.id'], name=op.f('fk_task_cooperating_units_task_id_key_tasks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_cooperating_units')),
    sa.UniqueConstraint('task_id', 'unit', name=op.f('uq_task_cooperating_units_task_id_unit'))
    )
    op.create_table('task_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.CheckConstraint("status IN ('not_started', 'in_progress', 'done', 'struck_off')", name=op.f('ck_task_updates_status')),
    sa.CheckConstraint('length(trim(note)) > 0', name=op.f('ck_task_updates_note_not_blank')),
    sa.ForeignKeyConstraint(['task_id'], ['key_tasks.id'], name=op.f('fk_task_updates_task_id_key_tasks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_updates'))
    )
    with op.batch_alter_table('task_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_updates_task_id'), ['task_id'], unique=False)

    op.create_table('facility_equipment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=30), nullable=False),
    sa.Column('quantity', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint("item IN ('ambulance', 'dr', 'colour_ultrasound', 'biochem_analyser', 'checkup_machine', 'simple_resuscitator')", name=op.f('ck_facility_equipment_item')),
    sa.CheckConstraint('quantity >= 0', name=op.f('ck_facility_equipment_quantity_not_negative')),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_facility_equipment_facility_id_facilities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facility_equipment')),
    sa.UniqueConstraint('facility_id', 'item', name=op.f('uq_facility_equipment_facility_id_item'))
    )
    op.create_table('projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('planned_start', sa.Date(), nullable=False),
    sa.Column('planned_completion', sa.Date(), nullable=False),
    sa.Column('actual_completion', sa.Date(), nullable=True),
    sa.Column('stage', sa.String(length=20), server_default='preparation', nullable=False),
    sa.Column('progress', sa.Float(), server_default='0', nullable=False),
    sa.Column('investment_completed', sa.Float(), server_default='0', nullable=False),
    sa.Column('lead_unit', sa.String(length=100), nullable=False),
    sa.Column('contact', sa.String(length=40), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('risks', sa.Text(), nullable=True),
    sa.CheckConstraint("kind IN ('new_build', 'relocation', 'extension', 'equipment', 'information')", name=op.f('ck_projects_kind')),
    sa.CheckConstraint("stage IN ('preparation', 'approval', 'design', 'tender', 'construction', 'completed', 'in_use')", name=op.f('ck_projects_stage')),
    sa.CheckConstraint('actual_completion IS NULL OR actual_completion >= planned_start', name=op.f('ck_projects_completed_after_start')),
    sa.CheckConstraint('investment_completed >= 0', name=op.f('ck_projects_investment_not_negative')),
    sa.CheckConstraint('length(trim(lead_unit)) > 0', name=op.f('ck_projects_lead_unit_not_blank')),
    sa.CheckConstraint('length(trim(name)) > 0', name=op.f('ck_projects_name_not_blank')),
    sa.CheckConstraint('planned_completion >= planned_start', name=op.f('ck_projects_planned_dates_in_order')),
    sa.CheckConstraint('progress BETWEEN 0 AND 100', name=op.f('ck_projects_progress_range')),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_projects_facility_id_facilities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects'))
    )
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_projects_facility_id'), ['facility_id'], unique=False)

    op.create_table('service_areas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['division_id'], ['divisions.id'], name=op.f('fk_service_areas_division_id_divisions')),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_service_areas_facility_id_facilities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_areas')),
    sa.UniqueConstraint('facility_id', 'division_id', name=op.f('uq_service_areas_facility_id_division_id'))
    )
    with op.batch_alter_table('service_areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_areas_division_id'), ['division_id'], unique=False)

    op.create_table('staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('sex', sa.String(length=1), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('practice_category', sa.String(length=20), nullable=True),
    sa.Column('gp_registered', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('psychiatry_registered', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('title', sa.String(length=30), server_default='none', nullable=False),
    sa.Column('education', sa.String(length=20), nullable=True),
    sa.Column('education_full_time', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('education_medical', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('employment_form', sa.String(length=30), nullable=False),
    sa.Column('directed_graduate', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('directed_service_until', sa.Date(), nullable=True),
    sa.Column('hire_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), server_default='on_post', nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('status_date', sa.Date(), nullable=True),
    sa.Column('liability_insured', sa.Boolean(), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.CheckConstraint("category IN ('physician', 'assistant_physician', 'nurse', 'pharmacist', 'technician', 'village_doctor', 'public_health', 'other_technical', 'admin', 'logistics')", name=op.f('ck_staff_category')),
    sa.CheckConstraint("education IS NULL OR education IN ('doctorate', 'master', 'bachelor', 'college', 'secondary', 'high_school')", name=op.f('ck_staff_education')),
    sa.CheckConstraint("employment_form IN ('establishment', 'contract', 'township_for_village', 'rehired', 'on_loan')", name=op.f('ck_staff_employment_form')),
    sa.CheckConstraint("practice_category IS NULL OR practice_category IN ('clinical', 'tcm', 'dental', 'public_health')", name=op.f('ck_staff_practice_category')),
    sa.CheckConstraint("sex IN ('M', 'F')", name=op.f('ck_staff_sex')),
    sa.CheckConstraint("status = 'on_post' OR length(trim(coalesce(status_reason, ''))) > 0", name=op.f('ck_staff_leaving_needs_reason')),
    sa.CheckConstraint("status IN ('on_post', 'left', 'retired', 'transferred')", name=op.f('ck_staff_status')),
    sa.CheckConstraint("title IN ('none', 'junior_assistant', 'junior', 'intermediate', 'associate_senior', 'senior')", name=op.f('ck_staff_title')),
    sa.CheckConstraint('directed_service_until IS NULL OR directed_graduate', name=op.f('ck_staff_service_only_if_directed')),
    sa.CheckConstraint('hire_date IS NULL OR hire_date > birth_date', name=op.f('ck_staff_hired_after_birth')),
    sa.CheckConstraint('length(id_number) = 18', name=op.f('ck_staff_id_number_length')),
    sa.CheckConstraint('length(trim(name)) > 0', name=op.f('ck_staff_name_not_blank')),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_staff_facility_id_facilities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff')),
    sa.UniqueConstraint('id_number', name=op.f('uq_staff_id_number'))
    )
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_facility_id'), ['facility_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_status'), ['status'], unique=False)

    op.create_table('project_funding',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('amount', sa.Float(), nullable=False),
    sa.CheckConstraint("source IN ('central', 'provincial', 'city', 'county', 'self_raised', 'special_bonds')", name=op.f('ck_project_funding_source')),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_project_funding_amount_not_negative')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_funding_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_funding')),
    sa.UniqueConstraint('project_id', 'source', name=op.f('uq_project_funding_project_id_source'))
    )
    op.create_table('project_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('progress', sa.Float(), nullable=False),
    sa.Column('investment_completed', sa.Float(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint("stage IN ('preparation', 'approval', 'design', 'tender', 'construction', 'completed', 'in_use')", name=op.f('ck_project_updates_stage')),
    sa.CheckConstraint('investment_completed >= 0', name=op.f('ck_project_updates_investment_not_negative')),
    sa.CheckConstraint('progress BETWEEN 0 AND 100', name=op.f('ck_project_updates_progress_range')),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_updates_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_updates')),
    sa.UniqueConstraint('project_id', 'date', name=op.f('uq_project_updates_project_id_date'))
    )
    op.create_table('staff_loans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('from_facility_id', sa.Integer(), nullable=False),
    sa.Column('to_facility_id', sa.Integer(), nullable=True),
    sa.Column('to_unit', sa.String(length=100), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.CheckConstraint('end_date IS NULL OR end_date >= start_date', name=op.f('ck_staff_loans_dates_in_order')),
    sa.CheckConstraint('length(trim(to_unit)) > 0', name=op.f('ck_staff_loans_to_unit_not_blank')),
    sa.ForeignKeyConstraint(['from_facility_id'], ['facilities.id'], name=op.f('fk_staff_loans_from_facility_id_facilities')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_staff_loans_staff_id_staff'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_facility_id'], ['facilities.id'], name=op.f('fk_staff_loans_to_facility_id_facilities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_loans'))
    )
    with op.batch_alter_table('staff_loans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_loans_staff_id'), ['staff_id'], unique=False)

    op.create_table('trainings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=100), nullable=True),
    sa.Column('free_of_charge', sa.Boolean(), server_default='1', nullable=False),
    sa.CheckConstraint("kind IN ('on_post', 'full_time_study')", name=op.f('ck_trainings_kind')),
    sa.CheckConstraint('days > 0', name=op.f('ck_trainings_days_positive')),
    sa.CheckConstraint('end_date >= start_date', name=op.f('ck_trainings_dates_in_order')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_trainings_staff_id_staff'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trainings'))
    )
    with op.batch_alter_table('trainings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trainings_staff_id'), ['staff_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('trainings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trainings_staff_id'))

    op.drop_table('trainings')
    with op.batch_alter_table('staff_loans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_loans_staff_id'))

    op.drop_table('staff_loans')
    op.drop_table('project_updates')
    op.drop_table('project_funding')
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_status'))
        batch_op.drop_index(batch_op.f('ix_staff_facility_id'))
        batch_op.drop_index(batch_op.f('ix_staff_category'))

    op.drop_table('staff')
    with op.batch_alter_table('service_areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_areas_division_id'))

    op.drop_table('service_areas')
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_projects_facility_id'))

    op.drop_table('projects')
    op.drop_table('facility_equipment')
    with op.batch_alter_table('task_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_updates_task_id'))

    op.drop_table('task_updates')
    op.drop_table('task_cooperating_units')
    op.drop_table('indicator_values')
    with op.batch_alter_table('facilities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_facilities_lead_facility_id'))
        batch_op.drop_index(batch_op.f('ix_facilities_kind'))
        batch_op.drop_index(batch_op.f('ix_facilities_division_id'))

    op.drop_table('facilities')
    op.drop_table('division_populations')
    op.drop_table('key_tasks')
    op.drop_table('indicators')
    with op.batch_alter_table('divisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_divisions_parent_id'))

    op.drop_table('divisions')

