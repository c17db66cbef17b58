// 
// THIS FILE HAS BEEN GENERATED AUTOMATICALLY
// DO NOT CHANGE IT MANUALLY UNLESS YOU KNOW WHAT YOU'RE DOING
// 
// GENERATED USING @colyseus/schema 5.0.34
// 

namespace Pantheon.Schema {
	public partial class RitualStep : global::Colyseus.Schema.Schema {
#if UNITY_5_3_OR_NEWER
		[global::UnityEngine.Scripting.Preserve]
#endif
		public RitualStep() { }

		[global::Colyseus.Schema.Type(0, "string")]
		public string rite = default(string);

		[global::Colyseus.Schema.Type(1, "int8")]
		public sbyte seat = default(sbyte);

		[global::Colyseus.Schema.Type(2, "uint16")]
		public ushort earliest = default(ushort);

		[global::Colyseus.Schema.Type(3, "uint16")]
		public ushort latest = default(ushort);
	}
}
