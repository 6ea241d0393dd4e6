"""course content variants: nynorsk texts of courses and learning modules

Revision ID: 0017_content_variants
Revises: 0016_score_shares_search_names
Create Date: 2026-11-30 18:50:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0017_content_variants'
down_revision = '0016_score_shares_search_names'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('variants', sa.JSON(), nullable=False,
                                      server_default='{}'))
    with op.batch_alter_table('learning_modules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('variants', sa.JSON(), nullable=False,
                                      server_default='{}'))


def downgrade():
    with op.batch_alter_table('learning_modules', schema=None) as batch_op:
        batch_op.drop_column('variants')
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_column('variants')
