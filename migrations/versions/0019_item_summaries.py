"""item analysis: running totals per question and content version, and per choice;
dashboard snapshots shared by the workers

Revision ID: 0019_item_summaries
Revises: 0018_user_language_unit_names

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019_item_summaries'
down_revision = '0018_user_language_unit_names'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'report_item_summaries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('course_id', sa.Integer(), nullable=False),
        sa.Column('learning_module_id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.String(length=100), nullable=False),
        sa.Column('content_hash', sa.String(length=64), nullable=False),
        sa.Column('question_type', sa.String(length=20), nullable=False),
        sa.Column('question_text', sa.String(length=1000), nullable=False),
        sa.Column('answers', sa.Integer(), nullable=False),
        sa.Column('right_answers', sa.Integer(), nullable=False),
        sa.Column('score_sum', sa.Double(), nullable=False),
        sa.Column('score_squares', sa.Double(), nullable=False),
        sa.Column('right_score_sum', sa.Double(), nullable=False),
        sa.ForeignKeyConstraint(['course_id'], ['courses.id'],
                                name=op.f('fk_report_item_summaries_course_id_courses')),
        sa.ForeignKeyConstraint(
            ['learning_module_id'], ['learning_modules.id'],
            name=op.f('fk_report_item_summaries_learning_module_id_learning_modules')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_item_summaries')),
        sa.UniqueConstraint('course_id', 'learning_module_id', 'question_id', 'content_hash',
                            name='uq_report_item_summaries_key'),
    )
    op.create_index('ix_report_item_summaries_module_question', 'report_item_summaries',
                    ['learning_module_id', 'question_id'], unique=False)
    op.create_table(
        'report_item_choice_summaries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('learning_module_id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.String(length=100), nullable=False),
        sa.Column('choice_index', sa.Integer(), nullable=False),
        sa.Column('choice_text', sa.String(length=500), nullable=False),
        sa.Column('is_correct', sa.Boolean(), nullable=False),
        sa.Column('offered', sa.Integer(), nullable=False),
        sa.Column('picked', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['learning_module_id'], ['learning_modules.id'],
            name=op.f('fk_report_item_choice_summaries_learning_module_id_learning_modules')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_item_choice_summaries')),
        sa.UniqueConstraint('learning_module_id', 'question_id', 'choice_index',
                            name='uq_report_item_choice_summaries_key'),
    )
    op.create_table(
        'report_dashboard_snapshots',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('scope', sa.String(length=40), nullable=False),
        sa.Column('computed_at', sa.DateTime(), nullable=False),
        sa.Column('figures', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_dashboard_snapshots')),
        sa.UniqueConstraint('scope', name=op.f('uq_report_dashboard_snapshots_scope')),
    )
    # The totals of the item rows written so far (the app keeps them current from here).
    op.execute(
        "INSERT INTO report_item_summaries (course_id, learning_module_id, question_id, "
        "content_hash, question_type, question_text, answers, right_answers, score_sum, "
        "score_squares, right_score_sum) "
        "SELECT course_id, learning_module_id, question_id, content_hash, "
        "MAX(question_type), MAX(question_text), COUNT(*), "
        "SUM(CASE WHEN correct THEN 1 ELSE 0 END), SUM(attempt_score), "
        "SUM(attempt_score * attempt_score), "
        "SUM(CASE WHEN correct THEN attempt_score ELSE 0.0 END) "
        "FROM report_item_responses "
        "GROUP BY course_id, learning_module_id, question_id, content_hash")
    op.execute(
        "INSERT INTO report_item_choice_summaries (learning_module_id, question_id, "
        "choice_index, choice_text, is_correct, offered, picked) "
        "SELECT learning_module_id, question_id, choice_index, MAX(choice_text), "
        "MAX(CASE WHEN is_correct THEN 1 ELSE 0 END) = 1, COUNT(*), "
        "SUM(CASE WHEN picked THEN 1 ELSE 0 END) "
        "FROM report_item_choices GROUP BY learning_module_id, question_id, choice_index")


def downgrade():
    op.drop_table('report_dashboard_snapshots')
    op.drop_table('report_item_choice_summaries')
    op.drop_index('ix_report_item_summaries_module_question',
                  table_name='report_item_summaries')
    op.drop_table('report_item_summaries')
