"""users.language_chosen: the written standard was picked with the switch

Revision ID: 0020_user_language_chosen
Revises: 0019_item_summaries

Rows that already hold a language keep it as a choice (we cannot tell a switch from a
browser's wish after the fact, and keeping a stored standard is the safer mistake).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020_user_language_chosen'
down_revision = '0019_item_summaries'
branch_labels = None
depends_on = None


def upgrade():
    # a plain ALTER TABLE ADD COLUMN (a batch would copy the users table, which the
    # foreign keys of every other table forbid on SQLite)
    op.add_column('users', sa.Column('language_chosen', sa.Boolean(), nullable=False,
                                     server_default=sa.false()))
    op.execute("UPDATE users SET language_chosen = TRUE WHERE language IS NOT NULL")


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('language_chosen')
