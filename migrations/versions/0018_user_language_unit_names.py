"""written standard: users.language, units.name_nn

Revision ID: 0018_user_language_unit_names
Revises: 0017_content_variants

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_user_language_unit_names'
down_revision = '0017_content_variants'
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
