"""Cutting the names of bodies from printed lists (generator.ingest.body_names)."""

from __future__ import annotations

from generator.ingest.body_names import CutName, all_bodies, cut_name, list_names


def test_lists_are_cut_outside_parentheses_and_after_a_level_only_piece_joined():
    assert list_names("各县（市、区）人民政府、省市场监管局") == ["各县（市、区）人民政府", "省市场监管局"]
    assert list_names("各市、县〔区〕人民政府、省财政厅") == ["各市、县〔区〕人民政府", "省财政厅"]
    assert list_names("省市场监管局，各设区市、县（市、区）人民政府", "、，,") == ["省市场监管局", "各设区市、县（市、区）人民政府"]
    assert list_names("各区、县级市人民政府") == ["各区、县级市人民政府"]
    assert list_names("各省、自治区、直辖市人民政府和新疆生产建设兵团") == ["各省、自治区、直辖市人民政府", "新疆生产建设兵团"]
    # A level word joins only a name that starts with a level too.
    assert list_names("省财政厅、各市") == ["省财政厅", "各市"]
    assert list_names("各市、省市场监管局") == ["各市", "省市场监管局"]
    assert list_names("各县、市场监管局") == ["各县", "市场监管局"]


def test_和_cuts_only_between_two_bodies():
    assert list_names("省有关部门和各市人民政府") == ["省有关部门", "各市人民政府"]
    assert list_names("国家市场监督管理总局和国家标准化管理委员会") == ["国家市场监督管理总局", "国家标准化管理委员会"]
    assert list_names("省委和省政府") == ["省委", "省政府"]
    for name in ("工业和信息化部", "住房和城乡建设部", "有关部门和单位", "中央和国家机关工委", "国家卫生和计划生育委员会",
                 "文化和旅游部", "自然资源和规划局"):
        assert list_names(name) == [name]


def test_list_words_are_cut_from_a_name():
    assert cut_name("商务部等") == CutName("商务部", None, False)
    assert cut_name("人力资源社会保障部等有关部门和单位") == CutName("人力资源社会保障部", "有关部门和单位", False)
    assert cut_name("农业农村部等和各有关省级人民政府") == CutName("农业农村部", "各有关省级人民政府", False)
    assert cut_name("省市场监管局等省有关部门") == CutName("省市场监管局", "省有关部门", False)
    assert cut_name("人民银行等部门") == CutName("人民银行", None, False)
    assert cut_name("省发展改革委（牵头）") == CutName("省发展改革委", None, True)
    assert cut_name("以下均需试点城市政府") is None and cut_name("要把任务落到实处") is None


def test_bodies_are_names_ending_as_a_body_does():
    assert all_bodies(["省市场监管局、省公安厅", "各地区", "省发展改革委（牵头）"])
    assert not all_bodies(["计量、标准、认证认可"]) and not all_bodies(["全社会"])
