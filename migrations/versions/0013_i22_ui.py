"""written standard: users.language, units.name_nn

Revision ID: 0013_i22_ui
Revises: 0012_i23_lti

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_i22_ui'
down_revision = '0012_i23_lti'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=2), nullable=True))
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_nn', sa.String(length=120), nullable=True))


def downgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_column('name_nn')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('language')
