// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

namespace Pantheon.Schema {
	public partial class PartyState : global::Colyseus.Schema.Schema {
#if UNITY_5_3_OR_NEWER
		[global::UnityEngine.Scripting.Preserve]
#endif
		public PartyState() { }

		[global::Colyseus.Schema.Type(0, "string")]
		public string leader = default(string);

		[global::Colyseus.Schema.Type(1, "map", typeof(global::Colyseus.Schema.MapSchema<PartyMember>))]
		public global::Colyseus.Schema.MapSchema<PartyMember> members = new global::Colyseus.Schema.MapSchema<PartyMember>();

		[global::Colyseus.Schema.Type(2, "array", typeof(global::Colyseus.Schema.ArraySchema<string>), "string")]
		public global::Colyseus.Schema.ArraySchema<string> invited = new global::Colyseus.Schema.ArraySchema<string>();

		[global::Colyseus.Schema.Type(3, "string")]
		public string status = "gathering";

		[global::Colyseus.Schema.Type(4, "string")]
		public string mode = default(string);

		[global::Colyseus.Schema.Type(5, "uint8")]
		public byte maxSize = 6;
	}
}
