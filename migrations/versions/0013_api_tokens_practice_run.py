"""report api tokens: scopes, unit limit, expiry; the run of a practice submission

Existing tokens keep every scope, no unit and no expiry: what they could read before.
Existing practice submissions get no run (reviewed, as before, by the trainers of the
person's latest run); new ones keep the run they were handed in for.

Revision ID: 0013_api_tokens_practice_run
Revises: 0012_i23_lti
Create Date: 2026-11-30 18:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_api_tokens_practice_run'
down_revision = '0012_i23_lti'
branch_labels = None
depends_on = None

ALL_SCOPES = "reports:read certificates:read people:read"


def upgrade():
    with op.batch_alter_table('report_api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scopes', sa.String(length=200), nullable=False,
                                      server_default=ALL_SCOPES))
        batch_op.add_column(sa.Column('unit_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_report_api_tokens_unit_id_units'),
                                    'units', ['unit_id'], ['id'])
    with op.batch_alter_table('report_api_tokens', schema=None) as batch_op:
        batch_op.alter_column('scopes', server_default=None)
    with op.batch_alter_table('practice_submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('run_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_practice_submissions_run_id'), ['run_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_practice_submissions_run_id_course_runs'),
                                    'course_runs', ['run_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('practice_submissions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_practice_submissions_run_id_course_runs'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_practice_submissions_run_id'))
        batch_op.drop_column('run_id')
    with op.batch_alter_table('report_api_tokens', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_report_api_tokens_unit_id_units'),
                                 type_='foreignkey')
        batch_op.drop_column('expires_at')
        batch_op.drop_column('unit_id')
        batch_op.drop_column('scopes')
