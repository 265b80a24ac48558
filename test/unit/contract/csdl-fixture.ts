/**
 * A tiny CSDL written for these tests (not Graph's): a directory of people and teams, enough to
 * hold the contract checker to entity sets, singletons, keys, casts, navigation, complex types,
 * enums (plain and flags), bound functions and actions, and a second schema with its own alias.
 */
export const FIXTURE_CSDL = `<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="example.dir" Alias="dir" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EnumType Name="colour">
        <Member Name="red" Value="0" />
        <Member Name="green" Value="1" />
      </EnumType>
      <EnumType Name="perks" IsFlags="true">
        <Member Name="none" Value="0" />
        <Member Name="parking" Value="1" />
        <Member Name="lunch" Value="2" />
      </EnumType>
      <EntityType Name="thing" Abstract="true">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
      </EntityType>
      <EntityType Name="member" BaseType="dir.thing">
        <Property Name="label" Type="Edm.String" />
      </EntityType>
      <EntityType Name="person" BaseType="dir.member">
        <Property Name="age" Type="Edm.Int32" />
        <Property Name="active" Type="Edm.Boolean" />
        <Property Name="favourite" Type="dir.colour" />
        <Property Name="perks" Type="dir.perks" />
        <Property Name="address" Type="dir.address" />
        <Property Name="tags" Type="Collection(Edm.String)" />
        <Property Name="badges" Type="Collection(dir.badge)" />
        <NavigationProperty Name="teams" Type="Collection(dir.team)" />
        <NavigationProperty Name="memberOf" Type="Collection(dir.member)" />
        <NavigationProperty Name="settings" Type="dir.settings" ContainsTarget="true" />
      </EntityType>
      <EntityType Name="team" BaseType="dir.member">
        <Property Name="size" Type="Edm.Int64" />
        <NavigationProperty Name="lead" Type="dir.person" />
      </EntityType>
      <EntityType Name="settings" BaseType="dir.thing">
        <Property Name="theme" Type="Edm.String" />
      </EntityType>
      <EntityType Name="root" BaseType="dir.thing">
        <NavigationProperty Name="people" Type="Collection(dir.person)" ContainsTarget="true" />
      </EntityType>
      <ComplexType Name="address">
        <Property Name="city" Type="Edm.String" />
        <Property Name="geo" Type="dir.geo" />
      </ComplexType>
      <ComplexType Name="geo">
        <Property Name="lat" Type="Edm.Double" />
      </ComplexType>
      <ComplexType Name="badge">
        <Property Name="name" Type="Edm.String" />
      </ComplexType>
      <ComplexType Name="goldBadge" BaseType="dir.badge">
        <Property Name="carats" Type="Edm.Int32" />
      </ComplexType>
      <Function Name="countTeams" IsBound="true">
        <Parameter Name="bindingParameter" Type="dir.person" />
        <ReturnType Type="Edm.Int32" />
      </Function>
      <Action Name="promote" IsBound="true">
        <Parameter Name="bindingParameter" Type="dir.root" />
        <Parameter Name="personId" Type="Edm.String" />
        <Parameter Name="badge" Type="dir.badge" />
        <ReturnType Type="Collection(dir.person)" />
      </Action>
      <EntityContainer Name="Directory">
        <EntitySet Name="people" EntityType="dir.person" />
        <EntitySet Name="teams" EntityType="example.dir.team" />
        <Singleton Name="hq" Type="dir.root" />
      </EntityContainer>
    </Schema>
    <Schema Namespace="example.extra" Alias="x" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="robot" BaseType="dir.member">
        <Property Name="model" Type="Edm.String" />
      </EntityType>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
`;
