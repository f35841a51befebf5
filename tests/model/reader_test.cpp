#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "hipcoach/model/io.hpp"

namespace hipcoach::model {
namespace {

// A two-body OpenSim 4 model; `extra_body` and `function` are spliced in by the tests.
std::string TinyModel(const std::string& wrap = "",
                      const std::string& function =
                          "<LinearFunction name=\"function\">"
                          "<coefficients>1 0</coefficients>"
                          "</LinearFunction>",
                      const std::string& joint_type = "CustomJoint") {
  std::string axes;
  const char* names[6] = {"rotation1",    "rotation2",    "rotation3",
                          "translation1", "translation2", "translation3"};
  const char* dirs[6] = {"0 0 1", "1 0 0", "0 1 0", "1 0 0", "0 1 0", "0 0 1"};
  for (int i = 0; i < 6; ++i) {
    axes += std::string("<TransformAxis name=\"") + names[i] + "\">\n" +
            (i == 0 ? "<coordinates>q</coordinates>\n" + function + "\n"
                    : "<coordinates></coordinates><Constant name=\"function\"><value>0</value>"
                      "</Constant>\n") +
            "<axis>" + dirs[i] + "</axis></TransformAxis>\n";
  }
  return "<?xml version=\"1.0\"?>\n<OpenSimDocument Version=\"40000\">\n<Model name=\"tiny\">\n"
         "<gravity>0 -9.81 0</gravity>\n<BodySet><objects>\n<Body name=\"a\">\n<mass>2</mass>"
         "<mass_center>0 -0.5 0</mass_center><inertia>1 1 1 0 0 0</inertia>\n"
         "<WrapObjectSet><objects>" +
         wrap +
         "</objects></WrapObjectSet>\n</Body>\n</objects></BodySet>\n<JointSet><objects>\n<" +
         joint_type +
         " name=\"j\">\n<socket_parent_frame>ground_offset</socket_parent_frame>\n"
         "<socket_child_frame>a_offset</socket_child_frame>\n<coordinates><Coordinate "
         "name=\"q\"><range>-1 1</range></Coordinate></coordinates>\n<frames>"
         "<PhysicalOffsetFrame name=\"ground_offset\"><socket_parent>/ground</socket_parent>"
         "<translation>0 1 0</translation><orientation>0 0 0</orientation>"
         "</PhysicalOffsetFrame><PhysicalOffsetFrame name=\"a_offset\"><socket_parent>"
         "/bodyset/a</socket_parent><translation>0 0 0</translation><orientation>0 0 0"
         "</orientation></PhysicalOffsetFrame></frames>\n<SpatialTransform>\n" +
         axes + "</SpatialTransform>\n</" + joint_type +
         ">\n</objects></JointSet>\n<ForceSet><objects>\n<Thelen2003Muscle name=\"m\">\n"
         "<GeometryPath><PathPointSet><objects>\n"
         "<PathPoint name=\"p1\"><socket_parent_frame>/bodyset/a</socket_parent_frame>"
         "<location>0 0 0</location></PathPoint>\n"
         "<ConditionalPathPoint name=\"p2\"><socket_parent_frame>/bodyset/a"
         "</socket_parent_frame><location>0 -0.5 0</location><socket_coordinate>/jointset/j/q"
         "</socket_coordinate><range>0 1</range></ConditionalPathPoint>\n"
         "<PathPoint name=\"p3\"><socket_parent_frame>/bodyset/a</socket_parent_frame>"
         "<location>0 -1 0</location></PathPoint>\n"
         "</objects></PathPointSet><PathWrapSet><objects/></PathWrapSet></GeometryPath>\n"
         "<max_isometric_force>500</max_isometric_force><optimal_fiber_length>0.1"
         "</optimal_fiber_length><tendon_slack_length>0.2</tendon_slack_length>\n"
         "<min_control>0.01</min_control>\n</Thelen2003Muscle>\n</objects></ForceSet>\n"
         "</Model>\n</OpenSimDocument>\n";
}

TEST(OsimReader, ReadsATinyModel) {
  auto m = ParseOsim(TinyModel(), "tiny.osim");
  ASSERT_TRUE(m) << m.error();
  ASSERT_EQ(m->bodies.size(), 1u);
  EXPECT_DOUBLE_EQ(m->bodies[0].mass, 2.0);
  ASSERT_EQ(m->coordinates.size(), 1u);
  EXPECT_TRUE(m->coordinates[0].rotational);
  ASSERT_EQ(m->muscles.size(), 1u);
  EXPECT_EQ(m->muscles[0].path.size(), 3u);
  EXPECT_EQ(m->muscles[0].path[1].kind, PathPoint::Kind::kConditional);
  EXPECT_DOUBLE_EQ(m->muscles[0].min_control, 0.01);
  EXPECT_DOUBLE_EQ(m->muscles[0].max_control, 1.0);
  EXPECT_DOUBLE_EQ(m->joints[0].parent_translation[1], 1.0);
}

TEST(OsimReader, ReadsCreditsAndPublications) {
  std::string xml = TinyModel();
  xml.insert(xml.find("<gravity>"),
             "<credits>Doe J.</credits>\n<publications>Doe J. (2024)\n\tJ Tests.</publications>\n");
  auto m = ParseOsim(xml, "credits.osim");
  ASSERT_TRUE(m) << m.error();
  EXPECT_EQ(m->credits, "Doe J.");
  EXPECT_EQ(ModelCredit(*m),
            "Model \"tiny\", credits as stated in the model file: Doe J. Publications: Doe J. "
            "(2024) J Tests. Check the model's licence before sharing results.");
  auto bare = ParseOsim(TinyModel(), "bare.osim");
  ASSERT_TRUE(bare);
  EXPECT_EQ(ModelCredit(*bare),
            "Model \"tiny\": credit not stated in the model file; check its licence.");
  Model unassigned;
  unassigned.credits = "Unassigned";
  unassigned.publications = " Unassigned ";
  EXPECT_NE(ModelCredit(unassigned).find(kCreditNotStated), std::string::npos);
}

TEST(OsimReader, RejectsWrappingSurfacesNamingElementAndLine) {
  const std::string xml = TinyModel(
      "\n<WrapCylinder name=\"knee_wrap\"><radius>0.05</radius>"
      "</WrapCylinder>");
  auto m = ParseOsim(xml, "wrap.osim");
  ASSERT_FALSE(m);
  // The cylinder sits on line 9 of the generated document.
  const auto line = std::to_string(
      1 + std::count(xml.begin(),
                     xml.begin() + static_cast<std::ptrdiff_t>(xml.find("<WrapCylinder")), '\n'));
  EXPECT_NE(m.error().find("wrap.osim:" + line + ": <WrapCylinder name=\"knee_wrap\">"),
            std::string::npos)
      << m.error();
  EXPECT_NE(m.error().find("wrapping"), std::string::npos);
}

TEST(OsimReader, RejectsUnknownFunctions) {
  auto m = ParseOsim(TinyModel("",
                               "<PiecewiseLinearFunction name=\"function\"><x>0 1</x><y>0 1"
                               "</y></PiecewiseLinearFunction>"),
                     "f.osim");
  ASSERT_FALSE(m);
  EXPECT_NE(m.error().find("PiecewiseLinearFunction"), std::string::npos) << m.error();
  EXPECT_NE(m.error().find("f.osim:"), std::string::npos);
}

TEST(OsimReader, RejectsUnknownJointTypes) {
  auto m = ParseOsim(TinyModel("",
                               "<LinearFunction name=\"function\"><coefficients>1 0"
                               "</coefficients></LinearFunction>",
                               "PinJoint"),
                     "pin.osim");
  ASSERT_FALSE(m);
  EXPECT_NE(m.error().find("unsupported joint type PinJoint"), std::string::npos) << m.error();
}

TEST(OsimReader, ReportsXmlErrorsWithLines) {
  auto m = ParseOsim(
      "<?xml version=\"1.0\"?>\n<OpenSimDocument Version=\"40000\">\n<Model>\n"
      "</Mod>\n",
      "bad.osim");
  ASSERT_FALSE(m);
  EXPECT_NE(m.error().find("bad.osim:4"), std::string::npos) << m.error();
}

TEST(OsimReader, RejectsOldDocuments) {
  auto m = ParseOsim("<OpenSimDocument Version=\"20302\"><Model/></OpenSimDocument>", "old.osim");
  ASSERT_FALSE(m);
  EXPECT_NE(m.error().find("20302"), std::string::npos);
}

TEST(StorageReader, ReadsHeaderColumnsAndDegrees) {
  auto s = ParseStorage(
      "Coordinates\nversion=1\ninDegrees=yes\nendheader\ntime\ta\tb\n"
      "0.0\t1\t2\n0.1\t3\t4\n",
      "k.sto");
  ASSERT_TRUE(s) << s.error();
  EXPECT_TRUE(s->in_degrees);
  ASSERT_EQ(s->columns.size(), 2u);
  EXPECT_EQ(s->ColumnIndex("b"), 1);
  EXPECT_DOUBLE_EQ(s->data[1][1], 4.0);
}

TEST(StorageReader, RejectsRaggedRowsWithLine) {
  auto s = ParseStorage("x\nendheader\ntime a b\n0 1 2\n0.1 3\n", "r.mot");
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().find("r.mot:5"), std::string::npos) << s.error();
}

TEST(ExternalLoadsReader, ReadsForces) {
  auto l = ParseExternalLoads(
      "<OpenSimDocument Version=\"40000\"><ExternalLoads><objects><ExternalForce name=\"r\">"
      "<applied_to_body>calcn_r</applied_to_body><force_expressed_in_body>ground"
      "</force_expressed_in_body><point_expressed_in_body>ground</point_expressed_in_body>"
      "<force_identifier>f_v</force_identifier><point_identifier>f_p</point_identifier>"
      "<torque_identifier>t_</torque_identifier></ExternalForce></objects>"
      "<datafile>g.mot</datafile></ExternalLoads></OpenSimDocument>",
      "l.xml");
  ASSERT_TRUE(l) << l.error();
  ASSERT_EQ(l->forces.size(), 1u);
  EXPECT_EQ(l->forces[0].torque_identifier, "t_");
  EXPECT_EQ(l->datafile, "g.mot");
}

TEST(ExternalLoadsReader, RejectsBodyFrameForces) {
  auto l = ParseExternalLoads(
      "<OpenSimDocument Version=\"40000\"><ExternalLoads><objects>\n<ExternalForce name=\"r\">"
      "<applied_to_body>calcn_r</applied_to_body><force_expressed_in_body>calcn_r"
      "</force_expressed_in_body><point_expressed_in_body>ground</point_expressed_in_body>"
      "<force_identifier>f_v</force_identifier><point_identifier>f_p</point_identifier>"
      "</ExternalForce></objects></ExternalLoads></OpenSimDocument>",
      "l.xml");
  ASSERT_FALSE(l);
  EXPECT_NE(l.error().find("l.xml:2: <ExternalForce name=\"r\">"), std::string::npos) << l.error();
}

}  // namespace
}  // namespace hipcoach::model
