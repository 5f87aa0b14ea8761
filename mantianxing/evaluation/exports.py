"""A run as an .xlsx file: the ranking with each term, the robustness, the inputs and the scheme."""

from __future__ import annotations

from mantianxing.evaluation.models import Run
from mantianxing.evaluation.schemes import dump_yaml
from mantianxing.lib.sheets import new_workbook, table_sheet, workbook_bytes
from mantianxing.monitoring.definitions import DEFINITIONS


def run_workbook(run: Run) -> bytes:
    book = new_workbook()
    codes = [item["code"] for item in run.scheme_body["indicators"]]
    names = [DEFINITIONS[code].name for code in codes]  # type: ignore[index]
    title = f"{run.period} {run.scheme}（行动计划 {run.plan.code}）评价结果{_status_note(run)}"
    table_sheet(
        book,
        "排名",
        title,
        ["名次", "区县代码", "区县"]
        + [f"{name}{suffix}" for name in names for suffix in ("（本期增量）", "（标准化）", "（加权）")]
        + ["得分", "档次应得（元）", "封顶后（元）", "预算系数", "奖励金额（元）"],
        (
            [row["rank"], row["unit"], row["unit_name"]]
            + [row[key][code] for code in codes for key in ("values", "normalized", "terms")]
            + [row["score"]]
            + [row["reward_steps"][key] for key in ("tier_share", "capped", "factor")]
            + [row["reward"]]
            for row in run.result
        ),
        widths=[6, 10, 18] + [14] * (3 * len(codes)) + [10, 16, 16, 10, 16],
    )
    if run.robustness:
        tiers = run.robustness["tiers"]
        table_sheet(
            book,
            "稳健性",
            f"稳健性分析：{run.robustness['draws']} 次抽样（权重扰动 σ={run.robustness['weight_sigma']}，"
            f"标准化方法 {'、'.join(run.robustness['normalizations'])}），随机种子 {run.robustness['seed']}",
            ["名次", "区县代码", "区县", "名次 5% 分位", "名次中位数", "名次 95% 分位"]
            + [f"{tier['label']}概率" for tier in tiers],
            (
                [row["rank"], row["unit"], row["unit_name"], row["rank_p5"], row["rank_p50"], row["rank_p95"]]
                + row["tier_probability"]
                for row in run.robustness["units"]
            ),
            widths=[6, 10, 18, 12, 12, 12] + [12] * len(tiers),
        )
    inputs = run.inputs
    table_sheet(
        book,
        "输入数据",
        f"输入数据：{inputs['period']}，基数月 {inputs['baseline_month'] or '窗口起点'}，截止月 {inputs['last_month']}，"
        f"序时份额 {inputs['target_share']}；SHA-256 {run.inputs_sha256}",
        ["区县代码", "区县"]
        + [f"{name}（本期增量）" for name in names]
        + [f"{name}（本期目标）" for name in names],
        (
            [unit["code"], unit["name"]]
            + [inputs["values"][unit["code"]][code] for code in codes]
            + [inputs["targets"][unit["code"]].get(code) for code in codes]
            for unit in inputs["units"]
        ),
        widths=[10, 18] + [16] * (2 * len(codes)),
    )
    table_sheet(
        book,
        "方案",
        f"{run.scheme}；方案 SHA-256 {run.scheme_sha256}；运行 SHA-256 {run.sha256}",
        ["方案 YAML"],
        ([line] for line in dump_yaml(run.scheme_body).splitlines()),
        widths=[120],
    )
    return workbook_bytes(book)


def _status_note(run: Run) -> str:
    """Nothing for the current run; a draft or a superseded run says so in the title."""
    if run.superseded_by_id is not None:
        return f"（已被 #{run.superseded_by_id} 替代）"
    return "" if run.is_published else "（未发布）"
