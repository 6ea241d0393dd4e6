"""the chain: sign-off decisions with a comment, mail attachments (iCalendar)

Revision ID: 0015_signoff_attachments
Revises: 0014_login_throttles
Create Date: 2026-11-30 18:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_signoff_attachments'
down_revision = '0014_login_throttles'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('signoff_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comment', sa.Text(), nullable=True))

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attachment_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('attachment_type', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('attachment_data', sa.LargeBinary(), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('attachment_data')
        batch_op.drop_column('attachment_type')
        batch_op.drop_column('attachment_name')

    with op.batch_alter_table('signoff_requests', schema=None) as batch_op:
        batch_op.drop_column('comment')
